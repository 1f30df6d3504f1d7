using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// The encoding thresholds (hash-max-listpack-*, set-max-intset-entries, zset-max-listpack-*,
/// with their *-ziplist-* aliases) change what OBJECT ENCODING and HSCAN answer, given at start
/// or by CONFIG SET, exactly as in a real redis-server given the same: a real server process of
/// ours (its own thresholds, so no other test sees them) next to one of Redis's.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class EncodingThresholdTests(ITestOutputHelper output)
{
    private static readonly string Long65 = new('x', 65);

    private static readonly string[][] Script =
    [
        ["CONFIG", "GET", "hash-max-listpack-entries"], ["CONFIG", "GET", "hash-max-ziplist-entries"],
        ["HSET", "h", "a", "1", "b", "2"], ["OBJECT", "ENCODING", "h"], ["HSET", "h", "c", "3"], ["OBJECT", "ENCODING", "h"],
        ["HDEL", "h", "a", "b"], ["OBJECT", "ENCODING", "h"], ["HSCAN", "h", "0"],
        ["CONFIG", "SET", "hash-max-ziplist-entries", "4"], ["CONFIG", "GET", "hash-max-listpack-entries"], ["CONFIG", "GET", "hash-max-ziplist-entries"],
        ["HSET", "g", "a", "1", "b", "2", "c", "3", "d", "4"], ["OBJECT", "ENCODING", "g"], ["HSET", "g", "e", "5"], ["OBJECT", "ENCODING", "g"],
        ["HSET", "v", "f", Long65], ["OBJECT", "ENCODING", "v"], ["CONFIG", "SET", "hash-max-listpack-value", "100"], ["HSET", "w", "f", Long65],
        ["OBJECT", "ENCODING", "w"], ["HSCAN", "w", "0"], ["HSETNX", "w", Long65 + Long65, "1"], ["OBJECT", "ENCODING", "w"],
        ["CONFIG", "SET", "set-max-intset-entries", "2"], ["SADD", "s", "1", "2"], ["OBJECT", "ENCODING", "s"], ["SADD", "s", "3"], ["OBJECT", "ENCODING", "s"],
        ["SREM", "s", "1", "2"], ["OBJECT", "ENCODING", "s"],
        ["CONFIG", "SET", "zset-max-listpack-entries", "2", "zset-max-ziplist-value", "3"], ["CONFIG", "GET", "zset-max-listpack-value"],
        ["ZADD", "z", "1", "a", "2", "b"], ["OBJECT", "ENCODING", "z"], ["ZADD", "z", "3", "c"], ["OBJECT", "ENCODING", "z"],
        ["ZADD", "z2", "1", "abcd"], ["OBJECT", "ENCODING", "z2"], ["CONFIG", "SET", "zset-max-listpack-entries", "0"], ["ZADD", "z3", "1", "a"], ["OBJECT", "ENCODING", "z3"],
        ["CONFIG", "SET", "hash-max-listpack-entries", "-1"], ["CONFIG", "SET", "set-max-intset-entries", "1kb"], ["CONFIG", "SET", "zset-max-listpack-value", "-1"],
        ["CONFIG", "SET", "zset-max-listpack-value", "1kb"], ["CONFIG", "GET", "zset-max-ziplist-value"], ["CONFIG", "SET", "set-max-intset-entries", "abc"],
        ["CONFIG", "SET", "maxmemory-samples", "5k"],
    ];

    [Fact]
    public async Task ThresholdsGivenAtStartAndByConfigSetConvertAsInRedis()
    {
        string[] start = ["--hash-max-listpack-entries", "2"];
        await using var redis = new RedisServerProcess(["--save", "", "--appendonly", "no", "--dir", Path.GetTempPath(), .. start]);
        await redis.InitializeAsync();
        await using var silo = await ServerProcess.Start(start);
        using var theirs = new RawClient(redis.Port);
        using var ours = new RawClient(silo.Port);
        foreach (var command in Script)
        {
            string expected = theirs.Call(command);
            string actual = ours.Call(command);
            output.WriteLine($"{string.Join(' ', command)} -> {expected.Replace("\r\n", "\\r\\n")}");
            Assert.True(expected == actual, $"{string.Join(' ', command)}\nredis: {expected}\nours:  {actual}");
        }
    }
}
