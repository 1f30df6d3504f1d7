using Orleans.TestingHost;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Memory;

/// <summary>
/// maxmemory and each eviction policy on a two-silo test cluster (each node enforces half):
/// fill past the limit and check which keys go.
/// </summary>
public sealed class EvictionTests : IAsyncLifetime
{
    private const int ValueSize = 1000;
    private RespTestCluster _test = null!;
    private RawClient _client = null!;

    public async Task InitializeAsync()
    {
        _test = await RespTestCluster.Start<SiloConfigurator>(2);
        _client = new RawClient(_test.Port);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _test.DisposeAsync();
    }

    [Fact]
    public void NoevictionRefusesWritesButServesReadsAndDeletes()
    {
        Config("maxmemory-policy", "noeviction");
        Config("maxmemory", "300000");
        string reply = "";
        int written = 0;
        for (; written < 500; written++)
        {
            reply = _client.Call("SET", $"full:{written}", Value());
            if (reply != "+OK\r\n")
            {
                break;
            }
        }

        Assert.Equal("-OOM command not allowed when used memory > 'maxmemory'.\r\n", reply);
        Assert.True(written is >= 20 and <= 80, $"{written} written; {_client.Call("INFO", "memory")} {_client.Call("INFO", "persistence")}");

        // Reads and deletes still work, and non-growing writes too; deleting makes room again.
        Assert.Equal($"${ValueSize}\r\n{Value()}\r\n", _client.Call("GET", "full:0"));
        Assert.Equal(":1\r\n", _client.Call("EXPIRE", "full:0", "100"));
        // The refused key's node is the full one (the other may have room): a hash in the same slot is refused too.
        Assert.Equal("-OOM command not allowed when used memory > 'maxmemory'.\r\n", _client.Call("HSET", $"{{full:{written}}}:h", "f", "v"));
        Assert.Equal($":{written}\r\n", _client.Call(["DEL", .. Enumerable.Range(0, written).Select(i => $"full:{i}")]));
        Assert.Equal("+OK\r\n", _client.Call("SET", "full:again", Value()));
        Assert.Equal("0", Field("stats", "evicted_keys"));
    }

    [Fact]
    public void AllkeysLruKeepsRecentlyReadKeys()
    {
        // Access times are tracked while a policy that evicts is set (see MemorySettings).
        Config("maxmemory-policy", "allkeys-lru");
        Fill("lru", 100);
        Thread.Sleep(1100);
        var hot = Enumerable.Range(0, 20).Select(i => $"lru:{i}").ToList();
        hot.ForEach(key => Assert.StartsWith("$", _client.Call("GET", key)));
        Thread.Sleep(1100);

        Config("maxmemory-samples", "10");
        Config("maxmemory", Limit(0.7));
        WaitUnderLimit();

        Assert.All(hot, key => Assert.Equal(":1\r\n", _client.Call("EXISTS", key)));
        Assert.InRange(DbSize(), 40, 80);
        Assert.True(long.Parse(Field("stats", "evicted_keys")) >= 20);
    }

    [Fact]
    public void AllkeysLfuKeepsFrequentlyUsedKeys()
    {
        Config("maxmemory-policy", "allkeys-lfu");
        Fill("lfu", 100);
        var hot = Enumerable.Range(0, 20).Select(i => $"lfu:{i}").ToList();
        for (int round = 0; round < 200; round++)
        {
            hot.ForEach(key => _client.Call("GET", key));
        }

        Assert.True(Freq("lfu:0") > Freq("lfu:99"), "a key read 200 times counts more than one written once");
        Config("maxmemory-samples", "10");
        Config("maxmemory", Limit(0.7));
        WaitUnderLimit();
        Assert.All(hot, key => Assert.Equal(":1\r\n", _client.Call("EXISTS", key)));
    }

    [Fact]
    public void VolatilePoliciesTouchOnlyKeysWithATimeToLive()
    {
        foreach (string policy in new[] { "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl" })
        {
            Assert.Equal("+OK\r\n", _client.Call("FLUSHALL"));
            Config("maxmemory", "0");
            Fill("keep", 50);
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal("+OK\r\n", _client.Call("SET", $"vol:{i}", Value(), "EX", (1000 + (i * 100)).ToString()));
            }

            Config("maxmemory-policy", policy);
            Config("maxmemory", Limit(0.75));
            WaitUnderLimit();
            Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(":1\r\n", _client.Call("EXISTS", $"keep:{i}")));
            var left = Enumerable.Range(0, 50).Where(i => _client.Call("EXISTS", $"vol:{i}") == ":1\r\n").ToList();
            Assert.InRange(left.Count, 1, 40);
            if (policy == "volatile-ttl")
            {
                // The keys furthest from expiring go last (vol:i expires in 1000 + 100 i seconds).
                // Each node evicts from its own keys, so this holds on average, not key by key.
                var gone = Enumerable.Range(0, 50).Except(left).ToList();
                Assert.True(left.Average() > gone.Average() + 5, $"left {string.Join(',', left)}; evicted {string.Join(',', gone)}");
            }
        }

        // Nothing volatile left to evict: writes are refused, as Redis does.
        Assert.Equal("+OK\r\n", _client.Call("FLUSHALL"));
        Config("maxmemory", "0");
        Fill("plain", 60);
        Config("maxmemory-policy", "volatile-lru");
        Config("maxmemory", Limit(0.5));
        Assert.Equal("-OOM command not allowed when used memory > 'maxmemory'.\r\n", _client.Call("SET", "plain:more", Value()));
    }

    [Fact]
    public async Task AllkeysRandomBringsEveryNodeUnderItsShare()
    {
        Fill("rnd", 200);
        Config("maxmemory-policy", "allkeys-random");
        Config("maxmemory", Limit(0.5));
        WaitUnderLimit();
        Assert.InRange(DbSize(), 60, 110);

        // Each node keeps to its half.
        foreach (var silo in _test.Cluster.Silos)
        {
            var memory = await _test.Cluster.Client.GetGrain<INodeGrain>(silo.SiloAddress.ToParsableString()).Memory();
            Assert.True(memory.UsedBytes <= memory.ShareBytes, $"{silo.Name} uses {memory.UsedBytes} of its {memory.ShareBytes}");
        }

        Assert.Contains("maxmemory_policy:allkeys-random", _client.Call("INFO", "memory"));
        Assert.Equal(
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\r\n",
            _client.Call("CONFIG", "SET", "maxmemory-policy", "most-recent"));
    }

    [Fact]
    public async Task EvictedKeysAreLoggedAsDeletionsAndStayGoneAfterACrash()
    {
        string dir = Directory.CreateTempSubdirectory("orleansredis-evict-").FullName;
        try
        {
            int left;
            await using (var server = await ServerProcess.StartOn(dir))
            {
                using var client = new RawClient(server.Port);
                for (int i = 0; i < 100; i++)
                {
                    Assert.Equal("+OK\r\n", client.Call("SET", $"gone:{i}", Value()));
                }

                Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "maxmemory-policy", "allkeys-random"));
                Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "maxmemory", "50000"));
                // Wait until the evictor has finished: under the limit, and the key count steady.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                string Size() => client.Call("DBSIZE");
                while (client.Call("INFO", "stats").Contains("evicted_keys:0\r\n") || Used(client) > 50000 || Size() != Size())
                {
                    Assert.True(DateTime.UtcNow < deadline, "eviction did not finish");
                    Thread.Sleep(200);
                }

                left = int.Parse(Size()[1..^2]);
                Assert.InRange(left, 1, 99);
                Thread.Sleep(1500); // appendfsync everysec
                await server.Kill();
            }

            await using var restarted = await ServerProcess.StartOn(dir);
            using var after = new RawClient(restarted.Port);
            Assert.Equal($":{left}\r\n", after.Call("DBSIZE"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long Used(RawClient client)
    {
        string line = client.Call("INFO", "memory").Split("\r\n").First(l => l.StartsWith("used_memory:", StringComparison.Ordinal));
        return long.Parse(line["used_memory:".Length..]);
    }

    [Fact]
    public void TheCommandsRefusedOverMaxmemoryAreThoseRedisFlagsDenyoom()
    {
        var table = OrleansRedis.Resp.Commands.CommandTable.Create(OrleansRedis.Resp.Commands.CommandBindings.All);
        var flagged = table.All.Where(spec => spec.Flags.Contains("denyoom")).Select(spec => spec.Id).Order().ToList();
        var ours = Enum.GetValues<OrleansRedis.Abstractions.Commands.CommandId>().Where(OrleansRedis.Grains.Memory.DenyOom.Contains).Order().ToList();
        Assert.Equal(flagged, ours);
    }

    private static string Value() => new('v', ValueSize);

    private void Fill(string prefix, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.Equal("+OK\r\n", _client.Call("SET", $"{prefix}:{i}", Value()));
        }
    }

    private void Config(string name, string value) => Assert.Equal("+OK\r\n", _client.Call("CONFIG", "SET", name, value));

    // A maxmemory that is this fraction of what the keys use now.
    private string Limit(double fraction) => ((long)(long.Parse(Field("memory", "used_memory")) * fraction)).ToString();

    private long DbSize() => long.Parse(_client.Call("DBSIZE")[1..^2]);

    private long Freq(string key) => long.Parse(_client.Call("OBJECT", "FREQ", key)[1..^2]);

    private string Field(string section, string name)
    {
        string line = _client.Call("INFO", section).Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return line[(name.Length + 1)..];
    }

    private void WaitUnderLimit()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (long.Parse(Field("memory", "used_memory")) > long.Parse(Field("memory", "maxmemory")))
        {
            Assert.True(DateTime.UtcNow < deadline, "eviction did not bring the keys under maxmemory");
            Thread.Sleep(100);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansRedisGrains();
    }
}
