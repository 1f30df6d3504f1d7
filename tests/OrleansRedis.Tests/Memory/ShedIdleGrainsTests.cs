using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Memory;

/// <summary>With the AOF on, letting idle key grains go is how the node first gets back under maxmemory: no key is lost.</summary>
public sealed class ShedIdleGrainsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orleansredis-shed-").FullName;
    private RespTestCluster _test = null!;

    public async Task InitializeAsync() =>
        _test = await RespTestCluster.Start<SiloConfigurator>(1, new Dictionary<string, string?> { ["ShedTests:Dir"] = _dir });

    public async Task DisposeAsync()
    {
        await _test.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void IdleGrainsAreLetGoBeforeAnyKeyIsEvicted()
    {
        using var client = new RawClient(_test.Port);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal("+OK\r\n", client.Call("SET", $"shed:{i}", new string('v', 100)));
        }

        long active = client.InfoField("persistence", "orleans_active_key_grains");
        long used = client.InfoField("memory", "used_memory");
        Assert.True(active >= 200, $"{active} active key grains");

        // Room for the keys, not for their 200 activations.
        Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
        Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "maxmemory", (used / 2).ToString()));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (client.InfoField("memory", "used_memory") > used / 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node did not get under maxmemory");
            Thread.Sleep(100);
        }

        Assert.Equal(0, client.InfoField("stats", "evicted_keys"));
        Assert.Equal(":200\r\n", client.Call("DBSIZE"));
        Assert.True(client.InfoField("persistence", "orleans_active_key_grains") < active);
        Assert.Equal("$100\r\n" + new string('v', 100) + "\r\n", client.Call("GET", "shed:7"));
    }


    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string dir = siloBuilder.Configuration["ShedTests:Dir"]!;
            siloBuilder.AddOrleansRedisGrains(_ => new AofSettings { Enabled = true, Dir = dir });
        }
    }
}
