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

    [Fact]
    public async Task CommandsOverTheWholeKeyspaceAnswerClusterDownAndApplyNothingWhileANodeIsDown()
    {
        var names = _test.Cluster.Silos.Select(s => s.Name).ToList();
        var victim = _test.Cluster.SecondarySilos[0];
        string OwnerOf(string key) => SlotOwnership.OwnerOfKey(System.Text.Encoding.UTF8.GetBytes(key), names, n => n)!;
        var keys = Enumerable.Range(0, 60).Select(i => $"whole:{i}").ToList();
        string onVictim = keys.First(k => OwnerOf(k) == victim.Name), elsewhere = keys.First(k => OwnerOf(k) != victim.Name);
        using var client = new RawClient(_test.Port);
        foreach (var key in keys)
        {
            Assert.Equal("+OK\r\n", client.Call("SET", key, "v"));
        }

        await _test.Cluster.StopSiloAsync(victim);

        // The gateway learns within about a second that the node is down.
        const string down = "-CLUSTERDOWN The cluster is down\r\n";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (client.Call("DBSIZE") != down && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        foreach (var command in new string[][] { ["DBSIZE"], ["KEYS", "*"], ["SCAN", "0"], ["RANDOMKEY"], ["FLUSHALL"], ["FLUSHDB"], ["FLUSHALL", "ASYNC"], ["INFO", "keyspace"] })
        {
            Assert.Equal(down, client.Call(command));
        }

        // The whole INFO still answers, its keyspace section empty rather than partial.
        string info = client.Call("INFO");
        Assert.Contains("# Keyspace\r\n", info);
        Assert.DoesNotContain("db0:", info);

        // Multi-key commands with a key on the down node apply nothing.
        Assert.Equal("-CLUSTERDOWN Hash slot not served\r\n", client.Call("MSET", elsewhere, "changed", onVictim, "changed"));
        Assert.Equal("-CLUSTERDOWN Hash slot not served\r\n", client.Call("DEL", elsewhere, onVictim));
        Assert.Equal("-CLUSTERDOWN Hash slot not served\r\n", client.Call("MGET", elsewhere, onVictim));
        Assert.Equal("-CLUSTERDOWN Hash slot not served\r\n", client.Call("RENAME", elsewhere, onVictim));
        Assert.Equal("$1\r\nv\r\n", client.Call("GET", elsewhere));

        // FLUSHALL was refused: the live nodes' keys are all still there.
        Assert.All(keys.Where(k => OwnerOf(k) != victim.Name), key => Assert.Equal(":1\r\n", client.Call("EXISTS", key)));
    }

    [Fact]
    public async Task AClientBlockedOnAKeyOfANodeThatDiesGetsAnErrorNotSilence()
    {
        var names = _test.Cluster.Silos.Select(s => s.Name).ToList();
        var victim = _test.Cluster.SecondarySilos[0];
        string onVictim = Enumerable.Range(0, 100).Select(i => $"blocked:{i}").First(k => SlotOwnership.OwnerOfKey(System.Text.Encoding.UTF8.GetBytes(k), names, n => n) == victim.Name);
        using var blocked = new RawClient(_test.Port);
        using var observer = new RawClient(_test.Port);
        var reply = Task.Run(() => blocked.Call("BLPOP", onVictim, "0"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (observer.InfoField("clients", "blocked_clients") != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await _test.Cluster.StopSiloAsync(victim);
        Assert.StartsWith("-CLUSTERDOWN", await reply.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, observer.InfoField("clients", "blocked_clients"));
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansRedisGrains();
    }
}
