using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Persistence;

/// <summary>
/// Keys that expire while their grains are idle go without being touched, as Redis's active
/// expiry takes them: DBSIZE, INFO keyspace and expired_keys follow, and a subscriber gets
/// each "expired" event. The same script runs against a real redis-server first.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class ActiveExpiryTests
{
    private const int Volatile = 40;

    [Fact]
    public async Task IdleKeysThatExpireGoUntouchedWithTheirEvents()
    {
        await using var redis = new RedisServerProcess();
        await redis.InitializeAsync();
        var expected = await Run(redis.Port);

        // Keys idle after 1 s; they expire after 4 s, long after their grains have gone.
        await using var silo = await ServerProcess.Start("--key-idle-seconds", "1");
        var actual = await Run(silo.Port, idleGrainsBeforeExpiry: true);

        Assert.Equal((Volatile, 1L, Volatile), expected);
        Assert.Equal(expected, actual);
    }

    // Sets the keys, waits without touching them until DBSIZE is down to the one persistent key
    // (20 s at most), and returns the events received, DBSIZE and expired_keys.
    private static async Task<(int Events, long DbSize, long ExpiredKeys)> Run(int port, bool idleGrainsBeforeExpiry = false)
    {
        using var subscriber = new RawClient(port);
        using var client = new RawClient(port);
        Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "notify-keyspace-events", "Ex"));
        subscriber.Call("SUBSCRIBE", "__keyevent@0__:expired");
        for (int i = 0; i < Volatile; i++)
        {
            Assert.Equal("+OK\r\n", client.Call("SET", $"v{i}", "x", "PX", (4000 + (i * 10)).ToString()));
        }

        Assert.Equal("+OK\r\n", client.Call("SET", "stays", "x"));
        if (idleGrainsBeforeExpiry)
        {
            await WaitFor(() => client.InfoField(null, "orleans_active_key_grains") == 0, TimeSpan.FromSeconds(4));
            Assert.Equal(Volatile + 1, long.Parse(client.Call("DBSIZE")[1..].Trim()));
        }

        await WaitFor(() => client.Call("DBSIZE") == ":1\r\n", TimeSpan.FromSeconds(20));
        int events = 0;
        for (; events < Volatile; events++)
        {
            string message = subscriber.ReadReply();
            Assert.Contains("__keyevent@0__:expired", message);
        }

        long dbSize = long.Parse(client.Call("DBSIZE")[1..].Trim());
        return (events, dbSize, client.InfoField(null, "expired_keys"));
    }


    private static async Task WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
