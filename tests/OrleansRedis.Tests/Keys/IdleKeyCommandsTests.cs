using Orleans.TestingHost;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Keys;

/// <summary>
/// Commands on keys whose grains are not active: a silo runs them without activating the grain
/// (the embedded RESP server asks the node index: a missing key is answered from it, an idle
/// string key from its AOF record, and a write that creates a key is logged and indexed by the
/// node), and a grain activated for a missing key (through a gateway) goes once its command is
/// answered. Replies and keyspace hits and misses are checked against a real
/// redis-server; that the silo's answer never hides an acknowledged write, on the node and across
/// the nodes of a cluster, and that concurrent first writes of a key lose none.
/// </summary>
public sealed class IdleKeyCommandsTests
{
    private static readonly string[][] OnMissingKeys =
    [
        ["GET", "nokey"], ["MGET", "nokey", "present", "nokey2"], ["EXISTS", "nokey", "present", "nokey"],
        ["TTL", "nokey"], ["PTTL", "nokey"], ["EXPIRETIME", "nokey"], ["PEXPIRETIME", "nokey"], ["TYPE", "nokey"],
        ["STRLEN", "nokey"], ["GETRANGE", "nokey", "0", "-1"], ["HGET", "nokey", "f"], ["HMGET", "nokey", "f", "g"],
        ["HGETALL", "nokey"], ["HLEN", "nokey"], ["HEXISTS", "nokey", "f"], ["HKEYS", "nokey"], ["HVALS", "nokey"],
        ["HSTRLEN", "nokey", "f"], ["HRANDFIELD", "nokey"], ["HRANDFIELD", "nokey", "3"], ["HSCAN", "nokey", "0"],
        ["DEL", "nokey"], ["DEL", "nokey", "nokey2"], ["UNLINK", "nokey"], ["EXPIRE", "nokey", "10"],
        ["PEXPIREAT", "nokey", "99999999999"], ["PERSIST", "nokey"], ["GETDEL", "nokey"], ["GETEX", "nokey", "EX", "10"],
        ["HDEL", "nokey", "f"], ["TOUCH", "nokey"], ["OBJECT", "ENCODING", "nokey"], ["OBJECT", "IDLETIME", "nokey"],
        ["OBJECT", "FREQ", "nokey"], ["OBJECT", "FREQ", "present"], ["OBJECT", "ENCODING", "present"],
        ["MEMORY", "USAGE", "nokey"], ["SET", "nokey", "v", "XX"], ["GETRANGE", "present", "0", "1"],
        ["GET", "nokey"], ["EXISTS", "nokey"], ["TYPE", "present"],
    ];

    [Fact]
    public async Task MissingKeysAnswerAsRedisAndCostNoActivation()
    {
        await using var redis = new RedisServerProcess();
        await redis.InitializeAsync();
        var expected = Run(redis.Port);

        await using var silo = await ServerProcess.Start("--appendonly", "no");
        using var client = new RawClient(silo.Port);
        long activeBefore = client.InfoField(null, "orleans_active_key_grains");
        var actual = Run(silo.Port);
        Assert.Equal(expected.Replies, actual.Replies);
        Assert.Equal((expected.Hits, expected.Misses), (actual.Hits, actual.Misses));

        // Thousands of reads of missing keys leave no activation behind.
        for (int i = 0; i < 3000; i++)
        {
            Assert.Equal("$-1\r\n", client.Call("GET", $"missing:{i}"));
        }

        Assert.Equal(activeBefore, client.InfoField(null, "orleans_active_key_grains")); // "present" too: the node keeps its value
        Assert.Equal(expected.Misses + 3000, client.InfoField("stats", "keyspace_misses"));
    }

    [Fact]
    public async Task AWriteAcknowledgedOnOneConnectionIsSeenByTheNextCommandOnAnother()
    {
        await using var silo = await ServerProcess.Start();
        using var writer = new RawClient(silo.Port);
        using var reader = new RawClient(silo.Port);
        for (int i = 0; i < 2000; i++)
        {
            string key = $"seen:{i}";
            Assert.Equal("$-1\r\n", reader.Call("GET", key));
            Assert.Equal("+OK\r\n", writer.Call("SET", key, "v"));
            Assert.Equal("$1\r\nv\r\n", reader.Call("GET", key));
            Assert.Equal(":1\r\n", writer.Call("DEL", key));
            Assert.Equal(":0\r\n", reader.Call("EXISTS", key));
            Assert.Equal(":1\r\n", writer.Call("HSET", key, "f", "v"));
            Assert.Equal("*1\r\n$1\r\nv\r\n", reader.Call("HMGET", key, "f"));
        }
    }

    [Fact]
    public async Task ASiloAnswersOnlyForTheSlotsItServes()
    {
        // The RESP server embedded in the first of three silos: two thirds of the keys are on the others.
        await using var test = await RespTestCluster.Start<SiloConfigurator>(3, embedded: true);
        using var client = new RawClient(test.Port);
        const int Keys = 300;
        for (int i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", client.Call("SET", $"spread:{i}", i.ToString()));
        }

        for (int i = 0; i < Keys; i++)
        {
            Assert.Equal($"${i.ToString().Length}\r\n{i}\r\n", client.Call("GET", $"spread:{i}"));
            Assert.Equal(":1\r\n", client.Call("EXISTS", $"spread:{i}", $"absent:{i}"));
            Assert.Equal("$-1\r\n", client.Call("GET", $"absent:{i}"));
        }

        Assert.Equal($":{Keys}\r\n", client.Call("DBSIZE"));
    }

    [Fact]
    public async Task AGrainActivatedForAMissingKeyGoesOnceAnswered()
    {
        // Through a gateway every command reaches the key's grain.
        await using var test = await RespTestCluster.Start<SiloConfigurator>(2);
        using var client = new RawClient(test.Port);
        Assert.Equal("+OK\r\n", client.Call("SET", "kept", "v"));
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal("$-1\r\n", client.Call("GET", $"missing:{i}"));
        }

        // Before, each stayed active for the idle timeout (two minutes).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (client.InfoField(null, "orleans_active_key_grains") > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{client.InfoField(null, "orleans_active_key_grains")} key grains still active");
            await Task.Delay(100);
        }

        Assert.Equal("$1\r\nv\r\n", client.Call("GET", "kept"));
    }

    private static readonly string[][] CreatingKeys =
    [
        ["SET", "s1", "v"], ["SET", "s2", "v", "EX", "1000"], ["SET", "s3", "v", "NX", "GET"], ["SET", "s4", "v", "PX", "1000000", "GET"],
        ["SETNX", "s5", "v"], ["SETEX", "s6", "1000", "v"], ["GETSET", "s7", "v"], ["APPEND", "s8", "abc"], ["SETRANGE", "s9", "5", "x"],
        ["INCR", "n1"], ["DECRBY", "n2", "7"], ["INCRBYFLOAT", "n3", "1.5"], ["HSET", "h1", "f", "v", "g", "w"], ["HSETNX", "h2", "f", "v"],
        ["HINCRBY", "h3", "f", "3"], ["HINCRBYFLOAT", "h4", "f", "0.25"], ["HMSET", "h5", "a", "1"], ["MSET", "m1", "a", "m2", "b"],
        ["SET", "bad1", "v", "EX", "0"], ["INCRBY", "bad2", "x"], ["HINCRBY", "bad3", "f", "x"], ["SET", "s1", "again", "NX"],
        ["SET", "s1", "again", "XX", "GET"], ["INCR", "n1"], ["HSET", "h1", "f", "changed"],
    ];

    private static readonly string[][] ReadingThemBack =
    [
        ["MGET", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "n1", "n2", "n3", "m1", "m2", "bad1", "bad2"],
        ["HGETALL", "h1"], ["HGETALL", "h2"], ["HGETALL", "h3"], ["HGETALL", "h4"], ["HGETALL", "h5"], ["EXISTS", "bad3"],
        ["TYPE", "s1"], ["TYPE", "h1"], ["TTL", "s1"], ["PERSIST", "s2"], ["TTL", "s2"], ["PERSIST", "s6"], ["DBSIZE"],
    ];

    [Fact]
    public async Task WritesThatCreateKeysAreLoggedWithoutAnActivationAndReadBackAsRedis()
    {
        await using var redis = new RedisServerProcess();
        await redis.InitializeAsync();
        var (expectedWrites, expectedReads) = (Replies(redis.Port, CreatingKeys), Replies(redis.Port, ReadingThemBack));

        string dir = ServerProcess.NewDataDirectory();
        var silo = await ServerProcess.StartOn(dir);
        try
        {
            using (var client = new RawClient(silo.Port))
            {
                Assert.Equal(expectedWrites, Replies(silo.Port, CreatingKeys));

                // Each key was created by the node: only those written again once they existed
                // (s1, n1, h1) have an active grain; and the TTLs are set.
                Assert.Equal(3, client.InfoField(null, "orleans_active_key_grains"));
                Assert.InRange(long.Parse(client.Call("TTL", "s6")[1..]), 990, 1000);
                Assert.Equal(expectedReads, Replies(silo.Port, ReadingThemBack));
            }

            // The records are the key's only copy: a crash keeps them.
            await silo.Kill();
            silo = await ServerProcess.StartOn(dir);
            Assert.Equal(expectedReads[^1], Replies(silo.Port, [["DBSIZE"]])[0]);
            Assert.Equal(expectedReads[..6], Replies(silo.Port, ReadingThemBack[..6]));
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("--appendfsync", "always")]
    [InlineData("--appendonly", "no")]
    public async Task ConcurrentFirstWritesToAKeyLoseNone(string setting, string value)
    {
        // The first write of a key runs without its grain; the others, at the same moment, go to
        // the grain, which must wait for that write and load it (appendfsync always makes the
        // write take long enough for the others to arrive while it is on its way; without the
        // AOF the grain takes the value the node parked).
        await using var silo = await ServerProcess.Start(setting, value);
        const int Connections = 6, PerConnection = 20, Rounds = 30;
        var clients = Enumerable.Range(0, Connections).Select(_ => new RawClient(silo.Port)).ToList();
        try
        {
            for (int round = 0; round < Rounds; round++)
            {
                string counter = $"race:{round}", hash = $"race:h:{round}";
                await Task.WhenAll(clients.Select(client => Task.Run(() =>
                {
                    for (int i = 0; i < PerConnection; i++)
                    {
                        client.Command("INCR", counter);
                        client.Command("HINCRBY", hash, "f", "1");
                    }

                    for (int i = 0; i < PerConnection * 2; i++)
                    {
                        Assert.StartsWith(":", client.ReadReply());
                    }
                })));

                string total = (Connections * PerConnection).ToString();
                Assert.Equal($"${total.Length}\r\n{total}\r\n", clients[0].Call("GET", counter));
                Assert.Equal($"${total.Length}\r\n{total}\r\n", clients[0].Call("HGET", hash, "f"));
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private static readonly string[][] IdleStrings =
    [
        ["SET", "i1", "value"], ["SET", "i2", "12345"], ["SET", "i3", "v", "EXAT", "99999999999"], ["SET", "i4", new string('x', 100)],
        ["HSET", "ih", "f", "v"],
    ];

    private static readonly string[][] ReadingIdleStrings =
    [
        ["GET", "i1"], ["STRLEN", "i2"], ["GETRANGE", "i1", "1", "3"], ["EXISTS", "i1", "i2", "nope"], ["TYPE", "i3"],
        ["EXPIRETIME", "i3"], ["TTL", "i1"], ["MGET", "i1", "i2", "i3", "i4", "nope"], ["OBJECT", "ENCODING", "i1"],
        ["OBJECT", "ENCODING", "i2"], ["OBJECT", "ENCODING", "i4"], ["GET", "i4"],
    ];

    [Fact]
    public async Task IdleStringKeysAreReadFromTheirRecordWithoutAnActivation()
    {
        await using var redis = new RedisServerProcess();
        await redis.InitializeAsync();
        Replies(redis.Port, IdleStrings);
        var expected = Run(redis.Port, ReadingIdleStrings);

        await using var silo = await ServerProcess.Start("--key-idle-seconds", "1");
        using var client = new RawClient(silo.Port);
        Replies(silo.Port, IdleStrings);
        Assert.Equal("+OK\r\n", client.Call("SET", "i1", "value")); // written again: its grain activates
        await WaitForNoActiveKeyGrain(client);

        var actual = Run(silo.Port, ReadingIdleStrings);
        Assert.Equal(expected.Replies, actual.Replies);
        Assert.Equal((expected.Hits, expected.Misses), (actual.Hits, actual.Misses));
        Assert.Equal(0, client.InfoField(null, "orleans_active_key_grains"));
        Assert.Equal(":0\r\n", client.Call("OBJECT", "IDLETIME", "i1")); // see docs/compatibility.md

        // A write goes through the grain; once it is idle again, reads see what it wrote.
        Assert.Equal("+OK\r\n", client.Call("SET", "i2", "changed"));
        Assert.Equal("$7\r\nchanged\r\n", client.Call("GET", "i2"));
        await WaitForNoActiveKeyGrain(client);
        Assert.Equal("$7\r\nchanged\r\n", client.Call("GET", "i2"));

        // Other types are read by their grain.
        Assert.Equal("$1\r\nv\r\n", client.Call("HGET", "ih", "f"));
        Assert.Equal(1, client.InfoField(null, "orleans_active_key_grains"));
    }

    [Fact]
    public async Task WithoutTheAofANewKeyIsParkedByTheNodeUntilItsGrainIsNeeded()
    {
        await using var redis = new RedisServerProcess();
        await redis.InitializeAsync();
        var expectedWrites = Replies(redis.Port, CreatingKeys);
        var expectedReads = Replies(redis.Port, IdleStrings.Concat(ReadingIdleStrings).ToArray());

        await using var silo = await ServerProcess.Start("--appendonly", "no");
        using var client = new RawClient(silo.Port);
        Assert.Equal(expectedWrites, Replies(silo.Port, CreatingKeys));
        Assert.Equal(3, client.InfoField(null, "orleans_active_key_grains")); // s1, n1, h1: written again
        Assert.Equal(expectedReads, Replies(silo.Port, IdleStrings.Concat(ReadingIdleStrings).ToArray()));
        Assert.Equal(3, client.InfoField(null, "orleans_active_key_grains")); // strings read from the parked values
        Assert.Equal(Replies(redis.Port, ReadingThemBack), Replies(silo.Port, ReadingThemBack));

        // A parked key with a TTL expires without its grain; DEL and FLUSHALL reach parked keys.
        string keys = client.Call("DBSIZE");
        long active = client.InfoField(null, "orleans_active_key_grains");
        Assert.Equal("+OK\r\n", client.Call("SET", "short", "v", "PX", "200"));
        long expired = client.InfoField("stats", "expired_keys");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (client.Call("DBSIZE") != keys) // untouched: the active expiry cycle takes it
        {
            Assert.True(DateTime.UtcNow < deadline, "the parked key did not expire");
            await Task.Delay(100);
        }

        Assert.Equal(expired + 1, client.InfoField("stats", "expired_keys"));
        Assert.Equal(active, client.InfoField(null, "orleans_active_key_grains"));

        Assert.Equal(":1\r\n", client.Call("DEL", "s2"));
        Assert.Equal("$-1\r\n", client.Call("GET", "s2"));
        Assert.Equal("+OK\r\n", client.Call("FLUSHALL"));
        Assert.Equal(":0\r\n", client.Call("DBSIZE"));
        Assert.Equal("$-1\r\n", client.Call("GET", "s3"));
    }

    private static async Task WaitForNoActiveKeyGrain(RawClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (client.InfoField(null, "orleans_active_key_grains") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "key grains still active");
            await Task.Delay(100);
        }
    }

    private static List<string> Replies(int port, string[][] commands)
    {
        using var client = new RawClient(port);
        return commands.Select(command => $"{string.Join(' ', command)} -> {client.Call(command)}").ToList();
    }

    // The script on one server: each reply as sent, and the keyspace hits and misses it counted.
    private static (List<string> Replies, long Hits, long Misses) Run(int port) => Run(port, OnMissingKeys, setPresent: true);

    private static (List<string> Replies, long Hits, long Misses) Run(int port, string[][] script, bool setPresent = false)
    {
        using var client = new RawClient(port);
        if (setPresent)
        {
            Assert.Equal("+OK\r\n", client.Call("SET", "present", "value"));
        }

        long hits = client.InfoField("stats", "keyspace_hits");
        long misses = client.InfoField("stats", "keyspace_misses");
        var replies = script.Select(command => $"{string.Join(' ', command)} -> {client.Call(command)}").ToList();
        return (replies, client.InfoField("stats", "keyspace_hits") - hits, client.InfoField("stats", "keyspace_misses") - misses);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansRedisGrains();
    }
}
