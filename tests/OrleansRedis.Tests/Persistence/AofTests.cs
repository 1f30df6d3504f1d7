using System.Diagnostics;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Persistence;

/// <summary>The append-only file with the real server process: restarts, crashes (kill -9), idle keys, damage, and Redis's own tools.</summary>
public sealed class AofTests(ITestOutputHelper output)
{
    private const string Far = "4102444800000";

    /// <summary>Every write command, in several databases, with expiries.</summary>
    private static readonly string[][] Writes =
    [
        ["SET", "s:plain", "v"], ["SET", "s:ex", "v", "EX", "1000"], ["SET", "s:pxat", "v", "PXAT", Far], ["SET", "s:keep", "1", "PXAT", Far], ["SET", "s:keep", "2", "KEEPTTL"],
        ["SET", "s:nx", "1", "NX"], ["SET", "s:nx", "2", "NX"], ["SET", "s:get", "old"], ["SET", "s:get", "new", "GET"], ["SETEX", "s:setex", "1000", "v"],
        ["PSETEX", "s:psetex", "1000000", "v"], ["GETSET", "s:getset", "v"], ["SET", "s:getdel", "v"], ["GETDEL", "s:getdel"], ["SET", "s:getex", "v"],
        ["GETEX", "s:getex", "PXAT", Far], ["SET", "s:persist", "v", "EX", "100"], ["GETEX", "s:persist", "PERSIST"], ["SETNX", "s:setnx", "v"],
        ["MSET", "m:1", "a", "m:2", "b"], ["MSETNX", "m:3", "c", "m:4", "d"], ["APPEND", "s:append", "Hello"], ["APPEND", "s:append", " World"],
        ["SETRANGE", "s:append", "6", "Redis"], ["INCR", "n:1"], ["INCRBY", "n:1", "41"], ["DECR", "n:2"], ["DECRBY", "n:2", "10"], ["INCRBYFLOAT", "n:f", "10.5"],
        ["INCRBYFLOAT", "n:f", "0.1"], ["HSET", "h:1", "a", "1", "b", "2", "c", "3"], ["HSETNX", "h:1", "d", "4"], ["HMSET", "h:1", "e", "5"], ["HDEL", "h:1", "b"],
        ["HINCRBY", "h:1", "a", "10"], ["HINCRBYFLOAT", "h:1", "f", "1.25"], ["HSET", "h:gone", "x", "1"], ["HDEL", "h:gone", "x"], ["SET", "d:1", "v"], ["DEL", "d:1"],
        ["SET", "d:2", "v"], ["UNLINK", "d:2"], ["SET", "e:1", "v"], ["EXPIRE", "e:1", "1000"], ["SET", "e:2", "v"], ["PEXPIRE", "e:2", "1000000"],
        ["SET", "e:3", "v"], ["EXPIREAT", "e:3", "4102444800"], ["SET", "e:4", "v"], ["PEXPIREAT", "e:4", Far], ["SET", "e:5", "v", "EX", "100"], ["PERSIST", "e:5"],
        ["SET", "e:gone", "v"], ["PEXPIRE", "e:gone", "1"], ["SET", "r:1", "v", "PXAT", Far], ["RENAME", "r:1", "r:2"], ["HSET", "r:3", "f", "v"], ["RENAMENX", "r:3", "r:4"],
        ["SET", "mv", "v"], ["MOVE", "mv", "2"], ["SELECT", "1"], ["SET", "db1:k", "one"], ["HSET", "db1:h", "f", "v"], ["SELECT", "3"], ["SET", "gone", "v"], ["FLUSHDB"],
        ["SET", "db3:k", "three"], ["SELECT", "0"], ["SET", "s:replaced", "v"], ["DEL", "s:replaced"], ["HSET", "s:replaced", "f", "v"],
        ["SET", "bin:\u00e9\u00ff", "\u0001\u0000\u0002"],
        ["RPUSH", "l:1", "a", "b", "c", "d", "e"], ["LPUSH", "l:1", "z"], ["LPOP", "l:1"], ["RPOP", "l:1", "2"], ["LINSERT", "l:1", "AFTER", "b", "x"], ["LSET", "l:1", "-1", "last"],
        ["LREM", "l:1", "0", "x"], ["RPUSHX", "l:1", "tail"], ["LPUSHX", "l:none", "v"], ["RPUSH", "l:trim", "1", "2", "3", "4"], ["LTRIM", "l:trim", "1", "2"],
        ["RPUSH", "l:gone", "v"], ["LPOP", "l:gone"], ["RPUSH", "l:ex", "v"], ["PEXPIREAT", "l:ex", Far], ["SET", "l:replaced", "v"], ["DEL", "l:replaced"], ["RPUSH", "l:replaced", "a"],
        ["RPUSH", "l:emptied", "a", "b"], ["LTRIM", "l:emptied", "5", "1"], ["RPUSH", "l:emptied", "again"],
        ["SADD", "t:1", "a", "b", "c", "1", "2"], ["SREM", "t:1", "b"], ["SPOP", "t:1", "2"], ["SADD", "t:2", "c", "d", "1"], ["SADD", "t:gone", "x"], ["SPOP", "t:gone"],
        ["SADD", "t:ex", "v"], ["PEXPIREAT", "t:ex", Far], ["SADD", "t:ints", "3", "1", "2"],
        ["ZADD", "z:1", "1", "a", "2.5", "b", "0.1", "c", "1e20", "d", "-inf", "lo"], ["ZINCRBY", "z:1", "0.2", "c"], ["ZADD", "z:1", "INCR", "1", "a"], ["ZREM", "z:1", "b"],
        ["ZPOPMAX", "z:1"], ["ZADD", "z:1", "GT", "CH", "5", "a"], ["ZADD", "z:2", "1", "x", "2", "y", "3", "w"], ["ZREMRANGEBYSCORE", "z:2", "2", "2"], ["ZPOPMIN", "z:2", "5"],
        ["ZADD", "z:3", "0", "a", "0", "b", "0", "c"], ["ZREMRANGEBYLEX", "z:3", "[b", "+"], ["ZADD", "z:ex", "1", "m"], ["PEXPIREAT", "z:ex", Far],
        ["SETBIT", "b:1", "7", "1"], ["SETBIT", "b:1", "100", "1"], ["SETBIT", "b:1", "7", "0"], ["BITFIELD", "b:2", "SET", "u8", "0", "200", "INCRBY", "u16", "#3", "1000"],
        ["BITFIELD", "b:2", "OVERFLOW", "FAIL", "INCRBY", "u8", "#1", "300", "SET", "u8", "#2", "7"], ["SET", "b:3", "x"], ["SETBIT", "b:3", "1", "0"], ["APPEND", "s:append", "!"],
        ["SET", "s:rx", "value", "EX", "1000"], ["SETRANGE", "s:rx", "8", "z"], ["SETBIT", "s:rx", "3", "1"],
    ];

    // Commands that combine keys: we log their result on the destination; redis-server logs the
    // command itself, which our loader refuses (see AnAofOfRedisWithSetStoresLoadsAfterItsRewrite).
    private static readonly string[][] StoreWrites =
    [
        ["SINTERSTORE", "t:inter", "t:1", "t:2"], ["SUNIONSTORE", "t:union", "t:1", "t:2"], ["SDIFFSTORE", "t:diff", "t:1", "t:2"], ["SET", "t:over", "v"],
        ["SUNIONSTORE", "t:over", "t:ints"], ["SADD", "t:union", "after"], ["BITOP", "XOR", "b:op", "b:1", "b:2"], ["BITOP", "AND", "b:none", "b:missing"],
        ["ZUNIONSTORE", "z:union", "2", "z:1", "t:1", "WEIGHTS", "2", "3"], ["ZRANGESTORE", "z:range", "z:3", "0", "0"], ["COPY", "h:1", "h:copy"], ["COPY", "z:1", "z:copy", "DB", "1"],
        ["SORT", "l:trim", "DESC", "STORE", "l:sorted"], ["RPUSH", "l:mpop", "x", "y"], ["LMPOP", "2", "l:none", "l:mpop", "RIGHT"], ["ZADD", "z:mpop", "1", "a", "2", "b"], ["ZMPOP", "1", "z:mpop", "MAX"],
        ["RPUSH", "l:mv", "a", "b", "c"], ["LMOVE", "l:mv", "l:mv2", "LEFT", "RIGHT"], ["RPOPLPUSH", "l:mv", "l:mv"], ["RPOPLPUSH", "l:mv", "l:mv2"], ["SADD", "t:mv", "x", "y"],
        ["SMOVE", "t:mv", "t:mv2", "x"], ["SMOVE", "t:mv", "t:mv2", "y"],
    ];

    [Theory]
    [InlineData("always")]
    [InlineData("everysec")]
    [InlineData("no")]
    public async Task EveryWriteCommandSurvivesARestart(string fsync)
    {
        string dir = NewDir();
        string before;
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", fsync))
        {
            Apply(silo.Port, [.. Writes, .. StoreWrites]);
            await Task.Delay(100);
            before = KeyspaceDump.Of(silo.Port);
            Assert.Equal(0, await silo.Terminate(TimeSpan.FromSeconds(30)));
        }

        output.WriteLine(before);
        Assert.Contains("db0 s:append string Hello Redis", before);
        Assert.Contains("db2 mv string v", before);
        Assert.Contains("db0 l:1 list a,b,last,tail expireat=-1", before);
        Assert.Contains("db0 z:1 zset lo,-inf,c,0.30000000000000004,a,5 expireat=-1", before);
        Assert.DoesNotContain("gone", before);
        await using var again = await ServerProcess.StartOn(dir, "--appendfsync", fsync);
        Assert.Equal(before, KeyspaceDump.Of(again.Port));
    }

    [Fact]
    public async Task IdleKeysDeactivateAndComeBackWithTheirValuesAndExpiries()
    {
        await using var silo = await ServerProcess.Start("--key-idle-seconds", "2");
        Apply(silo.Port, Writes);
        string before = KeyspaceDump.Of(silo.Port);

        // A key just touched is active (checked at once: on a loaded machine the dump above can outlast the idle timeout).
        using (var toucher = new RawClient(silo.Port))
        {
            toucher.Call("GET", "s:plain");
        }

        Assert.True(ActiveKeyGrains(silo.Port) > 0);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (ActiveKeyGrains(silo.Port) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.Equal(0, ActiveKeyGrains(silo.Port));
        int db0Keys = before.Split('\n').Count(l => l.StartsWith("db0 "));
        using (var client = new RawClient(silo.Port))
        {
            // Keyspace-wide commands see the inactive keys, from the node index alone.
            Assert.Equal($":{db0Keys}\r\n", client.Call("DBSIZE"));
            Assert.StartsWith("$", client.Call("RANDOMKEY"));
            Assert.Equal(0, ActiveKeyGrains(silo.Port));
            var scanned = new HashSet<string>();
            string cursor = "0";
            do
            {
                var lines = client.Call("SCAN", cursor, "COUNT", "7").Split("\r\n");
                cursor = lines[2];
                scanned.UnionWith(lines.Skip(4).Where((_, i) => i % 2 == 1).Where(l => l.Length > 0));
            }
            while (cursor != "0");
            Assert.Equal(db0Keys, scanned.Count);
        }

        Assert.Equal(before, KeyspaceDump.Of(silo.Port));

        // FLUSHALL deletes inactive keys too, and the deletions are logged.
        using (var client = new RawClient(silo.Port))
        {
            Assert.Equal("+OK\r\n", client.Call("FLUSHALL"));
            Assert.Equal(":0\r\n", client.Call("DBSIZE"));
        }

        Assert.Equal(0, await silo.Terminate(TimeSpan.FromSeconds(30)));
        await using var again = await ServerProcess.StartOn(silo.Dir);
        Assert.Equal("", KeyspaceDump.Of(again.Port));
    }

    [Fact]
    public async Task KeysThatExpireWhileTheirGrainIsIdleAreGoneWhenTouched()
    {
        await using var silo = await ServerProcess.Start("--key-idle-seconds", "2");
        using var client = new RawClient(silo.Port);
        Assert.Equal("+OK\r\n", client.Call("SET", "short", "v", "PX", "1500"));
        Assert.Equal("+OK\r\n", client.Call("SET", "long", "v"));
        await Task.Delay(6000);
        Assert.Equal("$-1\r\n", client.Call("GET", "short"));
        Assert.Equal(":0\r\n", client.Call("EXISTS", "short"));
        Assert.Equal("$1\r\nv\r\n", client.Call("GET", "long"));
    }

    [Fact]
    public async Task AppendfsyncAlwaysLosesNoAcknowledgedWriteOnKill9()
    {
        var (acknowledged, _, dump) = await WriteThenKill("always", TimeSpan.FromSeconds(3));
        var missing = acknowledged.Keys.Where(k => !dump.TryGetValue(k, out var v) || !IsAcknowledgedOrLater(acknowledged[k].Value, v)).ToList();
        output.WriteLine($"acknowledged {acknowledged.Count}, missing after kill -9: {missing.Count}");
        Assert.True(acknowledged.Count > 100);
        Assert.Empty(missing);
    }

    [Fact]
    public async Task AppendfsyncEverysecLosesOnlyTheLastSecondsOnKill9()
    {
        var (acknowledged, killedAt, dump) = await WriteThenKill("everysec", TimeSpan.FromSeconds(4));
        var missing = acknowledged.Where(p => !dump.TryGetValue(p.Key, out var v) || !IsAcknowledgedOrLater(p.Value.Value, v)).ToList();
        output.WriteLine($"acknowledged {acknowledged.Count}, missing after kill -9: {missing.Count}");
        Assert.True(acknowledged.Count > 100);
        Assert.All(missing, p => Assert.True(killedAt - p.Value.At < TimeSpan.FromSeconds(2), $"{p.Key} acknowledged {(killedAt - p.Value.At).TotalMilliseconds} ms before the kill"));
    }

    [Fact]
    public async Task TheFilesPassRedisCheckAofAndARealRedisServerServesTheSameData()
    {
        string dir = NewDir();
        string ours;
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "always"))
        {
            Apply(silo.Port, [.. Writes, .. StoreWrites]);
            ours = KeyspaceDump.Of(silo.Port);
            await silo.Kill();
        }

        var (exitCode, check) = await ExternalTools.Run("redis-check-aof", [Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest")]);
        output.WriteLine(check);
        Assert.Equal(0, exitCode);
        Assert.Contains("All AOF files and manifest are valid", check);

        await using var redis = await StartRedis(dir);
        Assert.Equal(ours, KeyspaceDump.Of(redis.Port));
    }

    [Fact]
    public async Task AnAofWrittenByRedisLoads()
    {
        string dir = NewDir();
        string theirs;
        await using (var redis = await StartRedis(dir))
        {
            Apply(redis.Port, Writes);
            theirs = KeyspaceDump.Of(redis.Port);
        }

        await using var silo = await ServerProcess.StartOn(dir);
        Assert.Equal(theirs, KeyspaceDump.Of(silo.Port));
    }

    [Fact]
    public async Task AnAofOfRedisWithSetStoresLoadsAfterItsRewrite()
    {
        string dir = NewDir();
        string theirs;
        await using (var redis = await StartRedis(dir))
        {
            Apply(redis.Port, [.. Writes, .. StoreWrites]);
            theirs = KeyspaceDump.Of(redis.Port);
        }

        // Refused, naming the command: its result depends on other keys at that point of the log.
        await using (var refused = ServerProcess.Launch(dir))
        {
            Assert.Equal(1, await refused.WaitForExit(TimeSpan.FromSeconds(60)));
            // (SINTERSTORE's result may be empty after the random SPOP: redis-server then logs a DEL.)
            Assert.Matches("the command 's(inter|union)store' cannot be loaded", refused.Output);
        }

        // redis-server's own rewrite writes each set as SADDs, which load.
        await using (var redis = await StartRedis(dir))
        {
            using var client = new RawClient(redis.Port);
            client.Call("BGREWRITEAOF");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!client.Call("INFO", "persistence").Contains("aof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            await Task.Delay(500);
        }

        await using var silo = await ServerProcess.StartOn(dir);
        Assert.Equal(theirs, KeyspaceDump.Of(silo.Port));
        Assert.Contains("db0 t:over set 1,2,3 expireat=-1", theirs);
    }

    // redis-server logs LMOVE, RPOPLPUSH and SMOVE as given (and a served BLMOVE or BRPOPLPUSH as
    // LMOVE or RPOPLPUSH): what reaches the destination depends on the source at that point.
    private static readonly string[][] MoveWrites =
    [
        ["RPUSH", "q", "a", "b", "c", "d", "e"], ["LMOVE", "q", "done", "LEFT", "RIGHT"], ["RPOPLPUSH", "q", "done"], ["RPUSH", "q", "f"],
        ["LMOVE", "q", "q", "RIGHT", "LEFT"], ["BLMOVE", "q", "done", "right", "left", "1"], ["BRPOPLPUSH", "q", "other", "1"], ["LPUSH", "q", "g"],
        ["SADD", "s", "x", "y", "z"], ["SMOVE", "s", "s2", "x"], ["SMOVE", "s", "s2", "nope"], ["SADD", "s2", "w"], ["SMOVE", "s2", "s", "w"],
        ["RENAME", "done", "finished"], ["LPUSH", "finished", "first"], ["PEXPIREAT", "finished", Far], ["RPUSH", "gone", "1"], ["LMOVE", "gone", "q", "LEFT", "LEFT"],
        ["SET", "other", "replaced"], ["SELECT", "1"], ["RPUSH", "q", "one", "two"], ["LMOVE", "q", "t", "LEFT", "LEFT"], ["SELECT", "0"],
    ];

    [Fact]
    public async Task AnAofOfRedisWithMovesLoadsAsRedisLeftItAndStaysSoAfterARestart()
    {
        string dir = NewDir();
        string theirs;
        await using (var redis = await StartRedis(dir))
        {
            Apply(redis.Port, [.. Writes, .. MoveWrites]);
            theirs = KeyspaceDump.Of(redis.Port);
        }

        string log = string.Concat(Directory.GetFiles(Path.Combine(dir, "appendonlydir"), "*.incr.aof").Select(File.ReadAllText));
        Assert.Contains("LMOVE", log, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SMOVE", log, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("db0 finished list first,d,e,a expireat=" + Far, theirs);
        await using (var silo = await ServerProcess.StartOn(dir))
        {
            Assert.Equal(theirs, KeyspaceDump.Of(silo.Port));
            Assert.Contains(silo.Output.Split('\n'), line => line.Contains("written again as their values"));
            Assert.Equal(0, await silo.Terminate(TimeSpan.FromSeconds(30)));
        }

        // The values it wrote come after the moves: loaded again, the keys are as they were.
        await using (var again = await ServerProcess.StartOn(dir))
        {
            Assert.Equal(theirs, KeyspaceDump.Of(again.Port));
            Assert.Equal(0, await again.Terminate(TimeSpan.FromSeconds(30)));
        }

        // And redis-server reads the file the node added to.
        await using var back = await StartRedis(dir);
        Assert.Equal(theirs, KeyspaceDump.Of(back.Port));
    }

    [Fact]
    public async Task ATruncatedLastRecordIsCutAndTheRestLoads()
    {
        var (dir, incr) = await TwoKeysWrittenThenKilled();
        long intact = new FileInfo(incr).Length;
        File.AppendAllText(incr, "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$10\r\nabc");
        await using (var silo = await ServerProcess.StartOn(dir))
        {
            using var client = new RawClient(silo.Port);
            Assert.Equal("$1\r\n1\r\n", client.Call("GET", "a"));
            Assert.Equal("$1\r\n2\r\n", client.Call("GET", "b"));
            Assert.Equal("$-1\r\n", client.Call("GET", "c"));
            Assert.Contains(silo.Output.Split('\n'), line => line.Contains("truncated record"));
        }

        Assert.Equal(intact, new FileInfo(incr).Length);
    }

    [Theory]
    [InlineData("$3\r\nkey", "$2\r\nkey")] // one byte short: Redis refuses, a lenient reader would shift the value
    [InlineData("$5\r\nvalue", "$6\r\nvalue")] // one byte long
    public async Task ADeclaredLengthThatIsOffStopsTheStartWithOneMessageAndExitCode1(string intact, string damaged)
    {
        string dir = NewDir();
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "always"))
        {
            Apply(silo.Port, [["SET", "key", "value"], ["SET", "other", "1"]]);
            await silo.Kill();
        }

        string incr = Directory.GetFiles(Path.Combine(dir, "appendonlydir"), "*.incr.aof").Order().Last();
        string text = File.ReadAllText(incr, Encoding.Latin1);
        int record = text.IndexOf("*3\r\n$3\r\nSET\r\n$3\r\nkey", StringComparison.Ordinal);
        int at = text.IndexOf(intact, record, StringComparison.Ordinal);
        File.WriteAllText(incr, text[..at] + damaged + text[(at + intact.Length)..], Encoding.Latin1);

        // Redis's own checker finds the same damage.
        var (redisCheck, _) = await ExternalTools.Run("redis-check-aof", [Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest")]);
        Assert.NotEqual(0, redisCheck);

        await using var broken = ServerProcess.Launch(dir);
        int exitCode = await broken.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(broken.Output);
        Assert.Equal(1, exitCode);
        var lines = broken.Output.Split('\n').Where(l => l.Contains(Path.GetFileName(incr))).ToList();
        Assert.Single(lines, l => l.StartsWith("OrleansRedis cannot start:", StringComparison.Ordinal));
        Assert.Contains($"at offset {record}", lines.Single(l => l.StartsWith("OrleansRedis cannot start:", StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", broken.Output);
    }

    [Fact]
    public async Task DamageInTheMiddleStopsTheStartNamingTheFileAndOffset()
    {
        var (dir, incr) = await TwoKeysWrittenThenKilled();
        byte[] bytes = File.ReadAllBytes(incr);
        int second = Encoding.ASCII.GetString(bytes).IndexOf("*3\r\n$3\r\nSET\r\n$1\r\nb", StringComparison.Ordinal);
        bytes[second] = (byte)'!';
        File.WriteAllBytes(incr, bytes);

        await using var broken = ServerProcess.Launch(dir);
        int exitCode = await broken.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(broken.Output);
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"{Path.GetFileName(incr)} at offset {second}", broken.Output);
    }

    [Fact]
    public async Task BgRewriteAofCompactsTheLogWhileWritesContinue()
    {
        string dir = NewDir();
        string before;
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "always"))
        {
            Apply(silo.Port, [.. Writes, .. StoreWrites]);
            Apply(silo.Port, Enumerable.Range(0, 2000).Select(i => new[] { "SET", "overwritten", i.ToString() }));
            long sizeBefore = Info(silo.Port, "aof_current_size");

            using var client = new RawClient(silo.Port);
            Assert.Equal("+Background append only file rewriting started\r\n", client.Call("BGREWRITEAOF"));
            for (int i = 0; i < 200; i++)
            {
                Assert.Equal("+OK\r\n", client.Call("SET", $"during:{i}", i.ToString()));
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((Info(silo.Port, "aof_rewrite_in_progress") == 1 || Info(silo.Port, "aof_rewrites") == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(1, Info(silo.Port, "aof_rewrites"));
            Assert.True(Info(silo.Port, "aof_current_size") < sizeBefore / 2, "the rewrite should shrink the log");
            Assert.Equal("+OK\r\n", client.Call("SET", "after", "rewrite"));
            before = KeyspaceDump.Of(silo.Port);
            await silo.Kill();
        }

        string manifest = File.ReadAllText(Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest"));
        Assert.Contains("file appendonly.aof.2.base.aof seq 2 type b", manifest);
        Assert.DoesNotContain("appendonly.aof.1.", manifest);
        var (exitCode, check) = await ExternalTools.Run("redis-check-aof", [Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest")]);
        Assert.True(exitCode == 0, check);
        await using var again = await ServerProcess.StartOn(dir);
        Assert.Equal(before, KeyspaceDump.Of(again.Port));
        Assert.Contains("db0 during:199 string 199", before);
    }

    [Fact]
    public async Task TheLogIsRewrittenAutomaticallyWhenItGrows()
    {
        string dir = NewDir();
        string before;
        await using (var silo = await ServerProcess.StartOn(dir, "--auto-aof-rewrite-min-size", "8192", "--auto-aof-rewrite-percentage", "100"))
        {
            using var client = new RawClient(silo.Port);
            Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "appendfsync", "always"));
            Assert.Equal("*2\r\n$11\r\nappendfsync\r\n$6\r\nalways\r\n", client.Call("CONFIG", "GET", "appendfsync"));
            for (int i = 0; i < 2000; i++)
            {
                Assert.Equal("+OK\r\n", client.Call("SET", $"grow:{i % 10}", new string('x', 20) + i));
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((Info(silo.Port, "aof_rewrites") == 0 || Info(silo.Port, "aof_rewrite_in_progress") == 1) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(Info(silo.Port, "aof_rewrites") >= 1);
            before = KeyspaceDump.Of(silo.Port);
            await silo.Kill();
        }

        await using var again = await ServerProcess.StartOn(dir);
        Assert.Equal(before, KeyspaceDump.Of(again.Port));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(150)]
    [InlineData(600)]
    public async Task Kill9AtAnyMomentOfARewriteLosesNothing(int killAfterMs)
    {
        string dir = NewDir();
        string before;
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "always"))
        {
            using var client = new RawClient(silo.Port);
            var load = new StringBuilder();
            for (int i = 0; i < 20000; i++)
            {
                load.Append(Encoding.UTF8.GetString(RawClient.Encode("HSET", $"h:{i % 2000}", $"f{i}", "v")));
            }

            client.Send(load.ToString());
            for (int i = 0; i < 20000; i++)
            {
                client.ReadReply();
            }

            before = KeyspaceDump.Of(silo.Port);
            Assert.Equal("+Background append only file rewriting started\r\n", client.Call("BGREWRITEAOF"));
            await Task.Delay(killAfterMs);
            await silo.Kill();
        }

        await using var again = await ServerProcess.StartOn(dir);
        Assert.Equal(before, KeyspaceDump.Of(again.Port));
    }

    // A data directory holding keys a=1 and b=2, written with appendfsync always before a kill -9, and its incremental file.
    private static async Task<(string Dir, string Incremental)> TwoKeysWrittenThenKilled()
    {
        string dir = NewDir();
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "always"))
        {
            Apply(silo.Port, [["SET", "a", "1"], ["SET", "b", "2"]]);
            await silo.Kill();
        }

        return (dir, Directory.GetFiles(Path.Combine(dir, "appendonlydir"), "*.incr.aof").Order().Last());
    }

    private static long Info(int port, string field)
    {
        using var client = new RawClient(port);
        return client.InfoField("persistence", field);
    }

    [Fact]
    public async Task TheCheckCommandFindsAndFixesATruncatedFile()
    {
        string dir = NewDir();
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "always"))
        {
            Apply(silo.Port, [["SET", "a", "1"]]);
            await silo.Kill();
        }

        string aofDir = Path.Combine(dir, "appendonlydir");
        string incr = Directory.GetFiles(aofDir, "*.incr.aof").Order().Last();
        long intact = new FileInfo(incr).Length;
        File.AppendAllText(incr, "*2\r\n$3\r\nDEL");
        var (broken, report) = await ServerProcess.Check(aofDir, fix: false);
        Assert.Equal(1, broken);
        Assert.Contains($"ok_up_to={intact}", report);
        var (fixedCode, fixedReport) = await ServerProcess.Check(aofDir, fix: true);
        Assert.True(fixedCode == 0, fixedReport);
        Assert.Equal(intact, new FileInfo(incr).Length);
        var (exitCode, _) = await ExternalTools.Run("redis-check-aof", [Path.Combine(aofDir, "appendonly.aof.manifest")]);
        Assert.Equal(0, exitCode);
    }

    private async Task<(Dictionary<string, (string Value, DateTime At)> Acknowledged, DateTime KilledAt, Dictionary<string, string> Dump)> WriteThenKill(string fsync, TimeSpan writing)
    {
        string dir = NewDir();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Value, DateTime At)>();
        DateTime killedAt;
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", fsync))
        {
            using var stop = new CancellationTokenSource(writing);
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
            {
                using var client = new RawClient(silo.Port);
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    string key = $"crash:{w}:{i % 500}", value = $"{w}-{i}";
                    if (client.Call("SET", key, value) == "+OK\r\n")
                    {
                        acknowledged[key] = (value, DateTime.UtcNow);
                    }
                }
            })).ToList();
            await Task.Delay(writing);

            // Killed while the writers are still writing: some replies are in flight.
            killedAt = DateTime.UtcNow;
            await silo.Kill();
            await Task.WhenAll(writers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        await using var again = await ServerProcess.StartOn(dir);
        using var reader = new RawClient(again.Port);
        var dump = new Dictionary<string, string>();
        foreach (var key in acknowledged.Keys)
        {
            string reply = reader.Call("GET", key);
            if (reply.StartsWith('$') && !reply.StartsWith("$-1"))
            {
                dump[key] = reply.Split("\r\n")[1];
            }
        }

        return (new Dictionary<string, (string, DateTime)>(acknowledged), killedAt, dump);
    }

    // Values are "writer-sequence": the stored value may be the acknowledged one or a later one
    // from the same writer whose reply the kill cut off (written, never acknowledged).
    private static bool IsAcknowledgedOrLater(string acknowledged, string stored) =>
        stored.Split('-')[0] == acknowledged.Split('-')[0] && long.Parse(stored.Split('-')[1]) >= long.Parse(acknowledged.Split('-')[1]);

    private static void Apply(int port, IEnumerable<string[]> commands)
    {
        using var client = new RawClient(port);
        foreach (var command in commands)
        {
            string reply = client.Call(command);
            Assert.False(reply.StartsWith('-'), $"{string.Join(' ', command)}: {reply}");
        }
    }

    private static long ActiveKeyGrains(int port)
    {
        using var client = new RawClient(port);
        string info = client.Call("INFO", "persistence");
        string line = info.Split("\r\n").Single(l => l.StartsWith("orleans_active_key_grains:"));
        return long.Parse(line[(line.IndexOf(':') + 1)..]);
    }

    private static string NewDir()
    {
        string dir = ServerProcess.NewDataDirectory();
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<RedisServerProcess> StartRedis(string dir)
    {
        var redis = new RedisServerProcess(["--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--dir", dir, "--appendfsync", "always"]);
        await redis.InitializeAsync();
        return redis;
    }
}
