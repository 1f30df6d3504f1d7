using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// Keyspace notifications against a real redis-server: the same commands with the same
/// <c>notify-keyspace-events</c>, and the messages a pattern subscriber receives compared one
/// by one, byte for byte (channel, message, order). Our events are raised in key grains on the
/// three silos of the cluster and reach the subscriber through the pub/sub grain.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyspaceNotificationTests(ClusterFixture fixture)
{
    public static TheoryData<string, string, string[][]> Scripts => new()
    {
        { "strings", "KEA", [
            ["SET", "s", "1"], ["SET", "s", "2", "EX", "100"], ["SETEX", "s2", "100", "v"], ["PSETEX", "s3", "100000", "v"], ["SETNX", "s", "x"], ["SETNX", "s4", "x"],
            ["GETSET", "s4", "y"], ["MSET", "m1", "1", "m2", "2"], ["APPEND", "s4", "z"], ["SETRANGE", "s4", "1", "ab"], ["SETRANGE", "s4", "1", ""], ["INCR", "n"],
            ["DECRBY", "n", "5"], ["INCRBYFLOAT", "f", "1.5"], ["GETDEL", "m1"], ["GETDEL", "m1"], ["GETEX", "m2", "EX", "100"], ["GETEX", "m2", "PERSIST"],
            ["SET", "s", "v", "NX"], ["SET", "s", "v", "XX", "GET"], ["INCR", "s"]] },
        { "hashes", "KEA", [
            ["HSET", "h", "a", "1", "b", "2"], ["HSETNX", "h", "a", "x"], ["HSETNX", "h", "c", "3"], ["HDEL", "h", "a", "zz"], ["HDEL", "h", "zz"],
            ["HINCRBY", "h", "n", "2"], ["HINCRBYFLOAT", "h", "f", "0.5"], ["HMSET", "h", "x", "1"], ["HDEL", "h", "b", "c", "n", "f", "x"], ["EXISTS", "h"]] },
        { "lists", "KEA", [
            ["LPUSH", "l", "a", "b"], ["RPUSH", "l", "c"], ["LPUSHX", "l", "d"], ["RPUSHX", "nope", "x"], ["LPOP", "l"], ["RPOP", "l", "1"], ["LINSERT", "l", "BEFORE", "a", "z"],
            ["LINSERT", "l", "BEFORE", "nope", "z"], ["LSET", "l", "0", "y"], ["LREM", "l", "0", "zz"], ["LREM", "l", "1", "y"], ["LTRIM", "l", "0", "10"], ["LTRIM", "l", "5", "1"],
            ["RPUSH", "m", "1"], ["LPOP", "m"], ["LLEN", "m"]] },
        { "sets", "KEA", [
            ["SADD", "s", "a", "b", "c"], ["SADD", "s", "a"], ["SREM", "s", "a", "zz"], ["SREM", "s", "zz"], ["SADD", "t", "b"], ["SINTERSTORE", "d", "s", "t"],
            ["SUNIONSTORE", "d", "s", "t"], ["SDIFFSTORE", "d", "t", "s"], ["SREM", "s", "b", "c"], ["SADD", "one", "x"], ["SPOP", "one"]] },
        { "sorted sets", "KEA", [
            ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZADD", "z", "1", "a"], ["ZADD", "z", "INCR", "5", "a"], ["ZINCRBY", "z", "1", "b"], ["ZREM", "z", "b", "zz"],
            ["ZPOPMIN", "z"], ["ZADD", "z", "4", "d", "5", "e", "6", "f"], ["ZREMRANGEBYRANK", "z", "0", "0"], ["ZREMRANGEBYSCORE", "z", "5", "5"], ["ZPOPMAX", "z", "5"],
            ["ZADD", "lex", "0", "a", "0", "b"], ["ZREMRANGEBYLEX", "lex", "-", "+"]] },
        { "generic", "KEA", [
            ["SET", "a", "1"], ["SET", "b", "2"], ["DEL", "a", "b", "zz"], ["SET", "c", "3"], ["UNLINK", "c"], ["SET", "e", "v"], ["EXPIRE", "e", "100"],
            ["PEXPIRE", "e", "500000"], ["PERSIST", "e"], ["PERSIST", "e"], ["EXPIRE", "missing", "10"], ["EXPIREAT", "e", "1"], ["SET", "r", "v"],
            ["RENAME", "r", "r2"], ["SET", "r3", "x"], ["RENAME", "r2", "r3"], ["RENAMENX", "r3", "r4"], ["SET", "mv", "v"], ["MOVE", "mv", "10"]] },
        { "classes filter: only strings to keyevent, with new keys", "E$n", [
            ["SET", "a", "1"], ["SET", "a", "2"], ["HSET", "h", "f", "v"], ["DEL", "a"], ["INCR", "counter"]] },
        { "key misses", "Km", [
            ["GET", "nope"], ["HGET", "nope", "f"], ["EXISTS", "nope"], ["TYPE", "nope"], ["TTL", "nope"], ["STRLEN", "nope"], ["SET", "here", "v"], ["GET", "here"]] },
        { "generic only, keyspace only", "Kg", [
            ["SET", "a", "1", "EX", "100"], ["HSET", "h", "f", "v"], ["HDEL", "h", "f"], ["DEL", "a"]] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void SubscribersReceiveWhatRedisSends(string name, string classes, string[][] script)
    {
        var expected = Notifications(fixture.Redis.Port, classes, script);
        var actual = Notifications(fixture.Port, classes, script);
        Assert.NotEmpty(expected);
        Assert.True(expected.SequenceEqual(actual), $"{name}:\nredis: {string.Join(" | ", expected)}\nours:  {string.Join(" | ", actual)}");
    }

    [Fact]
    public async Task KeysThatExpireAreNotifiedAsExpired()
    {
        string[][] script = [["SET", "short", "v", "PX", "100"], ["SET", "short2", "v"], ["PEXPIRE", "short2", "150"]];
        var expected = Notifications(fixture.Redis.Port, "Ex", script, TimeSpan.FromSeconds(2));
        var actual = Notifications(fixture.Port, "Ex", script, TimeSpan.FromSeconds(2));
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Order(), actual.Order());
        await Task.CompletedTask;
    }

    // Runs the script with the classes set, and returns what a subscriber to every keyspace and
    // keyevent channel received, up to a marker published after the script.
    private static List<string> Notifications(int port, string classes, string[][] script, TimeSpan? settle = null)
    {
        using var subscriber = new RawClient(port);
        using var client = new RawClient(port);
        foreach (var db in new[] { "10", "9" })
        {
            Assert.Equal("+OK\r\n", client.Call("SELECT", db));
            Assert.Equal("+OK\r\n", client.Call("FLUSHDB"));
        }

        subscriber.Call("PSUBSCRIBE", "__key*@9__:*", "__key*@10__:*");
        subscriber.ReadReply();
        subscriber.Call("SUBSCRIBE", "end-of-script");
        Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "notify-keyspace-events", classes));
        try
        {
            foreach (var command in script)
            {
                client.Call(command);
            }

            if (settle is { } wait)
            {
                Thread.Sleep(wait);
            }
        }
        finally
        {
            Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "notify-keyspace-events", ""));
        }

        client.Call("PUBLISH", "end-of-script", "done");
        var received = new List<string>();
        while (subscriber.ReadReply() is var message && !message.Contains("end-of-script"))
        {
            received.Add(message.Replace("\r\n", " "));
        }

        return received;
    }
}
