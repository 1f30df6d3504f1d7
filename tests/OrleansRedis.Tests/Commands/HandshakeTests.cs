using OrleansRedis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Commands;

[Collection(ClusterCollection.Name)]
public sealed class HandshakeTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task StackExchangeRedisConnectsWithoutConfigurationAndRoundTripsAStringAndAHash()
    {
        var server = await fixture.StartServer();
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
        Assert.True(redis.IsConnected);
        var db = redis.GetDatabase();
        await db.StringSetAsync("handshake:key", "value");
        Assert.Equal("value", await db.StringGetAsync("handshake:key"));
        await db.HashSetAsync("handshake:hash", [new("a", "1"), new("b", "2")]);
        Assert.Equal(["a", "b"], (await db.HashGetAllAsync("handshake:hash")).Select(e => e.Name.ToString()).Order());
    }

    /// <summary>
    /// StackExchange.Redis probes for cluster and sentinel mode while it connects; a standalone
    /// Redis 7 answers those probes with errors, and so do we. Every other command of the
    /// handshake (HELLO, CLIENT, CONFIG GET, INFO, ECHO, SUBSCRIBE, GET) must succeed, and we
    /// must answer no more errors than a real redis-server does to the same client.
    /// </summary>
    [Fact]
    public async Task TheHandshakeMeetsOnlyTheErrorsRealRedisGivesToClusterAndSentinelProbes()
    {
        var server = await fixture.StartServer();
        long ours = await HandshakeErrors(server.Port);
        long redis = await HandshakeErrors(fixture.Redis.Port);
        output.WriteLine($"error replies during the handshake: ours {ours}, redis-server {redis}");
        Assert.True(ours <= redis, $"ours {ours} > redis {redis}");

        using var raw = new RawClient(server.Port);
        string stats = raw.Call("INFO", "commandstats");
        output.WriteLine(stats);
        var failing = stats.Split("\r\n")
            .Where(line => line.StartsWith("cmdstat_") && !line.EndsWith("rejected_calls=0,failed_calls=0"))
            .Select(line => line[8..line.IndexOf(':')])
            .ToList();
        Assert.All(failing, command => Assert.StartsWith("cluster|", command));
    }

    private async Task<long> HandshakeErrors(int port)
    {
        using (var reset = new RawClient(port))
        {
            Assert.Equal("+OK\r\n", reset.Call("CONFIG", "RESETSTAT"));
        }

        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}"))
        {
            await redis.GetDatabase().PingAsync();
        }

        using var raw = new RawClient(port);
        string errors = raw.Call("INFO", "errorstats");
        output.WriteLine(errors);
        return errors.Split("\r\n").Where(l => l.StartsWith("errorstat_")).Sum(l => long.Parse(l[(l.IndexOf("count=") + 6)..]));
    }
}
