using Orleans.TestingHost;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Cluster;

/// <summary>A node of a three-silo cluster goes down: its keys fail with CLUSTERDOWN, never read as missing; the others keep working.</summary>
public sealed class NodeDownTests : IAsyncLifetime
{
    private RespTestCluster _test = null!;

    public async Task InitializeAsync() => _test = await RespTestCluster.Start<SiloConfigurator>(3);

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task KeysOfADownNodeFailWithClusterDownAndOtherKeysKeepWorking()
    {
        var keys = Enumerable.Range(0, 60).Select(i => $"down:{i}").ToList();
        using var client = new RawClient(_test.Port);
        foreach (var key in keys)
        {
            Assert.Equal("+OK\r\n", client.Call("SET", key, "v"));
        }

        var victim = _test.Cluster.SecondarySilos[0];
        var names = _test.Cluster.Silos.Select(s => s.Name).ToList();
        var victimsKeys = keys.Where(k => SlotOwnership.OwnerOfKey(System.Text.Encoding.UTF8.GetBytes(k), names, n => n) == victim.Name).ToList();
        Assert.NotEmpty(victimsKeys);
        await _test.Cluster.StopSiloAsync(victim);

        foreach (var key in keys)
        {
            string reply = client.Call("GET", key);
            Assert.Equal(victimsKeys.Contains(key) ? "-CLUSTERDOWN Hash slot not served\r\n" : "$1\r\nv\r\n", reply);
        }

        // Writes to the down node's slots are refused too, not applied elsewhere.
        Assert.Equal("-CLUSTERDOWN Hash slot not served\r\n", client.Call("SET", victimsKeys[0], "elsewhere"));
        Assert.Equal("+OK\r\n", client.Call("SET", keys.First(k => !victimsKeys.Contains(k)), "still"));
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansRedisGrains();
    }
}
