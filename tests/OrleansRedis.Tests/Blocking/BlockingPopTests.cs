using System.Collections.Concurrent;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Blocking;

/// <summary>
/// Blocking pops over real sockets, on the 3-silo test cluster behind two RESP servers: a push
/// through one wakes a client blocked on the other, clients are served in the order they
/// blocked, and under concurrent pushes, timeouts, disconnects and CLIENT UNBLOCK every element
/// pushed is received once or still in its list.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BlockingPopTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task APushThroughOneGatewayWakesAClientBlockedOnAnother()
    {
        var second = await fixture.StartServer();
        using var blocked = new RawClient(fixture.Port);
        using var pusher = new RawClient(second.Port);
        using var observer = new RawClient(fixture.Port);
        string key = Key("wake");
        var reply = Task.Run(() => blocked.Call("BLPOP", key, "10"));
        await WaitUntil(() => observer.InfoField("clients", "blocked_clients") == 1);
        Assert.Contains("flags=b ", observer.Call("CLIENT", "LIST"));
        Assert.Equal(":1\r\n", pusher.Call("RPUSH", key, "x"));
        Assert.Equal($"*2\r\n${key.Length}\r\n{key}\r\n$1\r\nx\r\n", await reply);
        Assert.Equal(":0\r\n", pusher.Call("EXISTS", key));
        await WaitUntil(() => observer.InfoField("clients", "blocked_clients") == 0);
    }

    [Fact]
    public async Task ClientsAreServedInTheOrderTheyBlocked()
    {
        string key = Key("order");
        var clients = Enumerable.Range(0, 3).Select(_ => new RawClient(fixture.Port)).ToList();
        using var observer = new RawClient(fixture.Port);
        var replies = new List<Task<string>>();
        foreach (var client in clients)
        {
            replies.Add(Task.Run(() => client.Call("BRPOP", key, "10")));
            int blocked = replies.Count;
            await WaitUntil(() => observer.InfoField("clients", "blocked_clients") == blocked);
        }

        // One push of three: BRPOP takes from the right, so the first client gets c, then b, then a.
        observer.Call("RPUSH", key, "a", "b", "c");
        var answers = await Task.WhenAll(replies);
        output.WriteLine(string.Join(" | ", answers));
        Assert.Equal(["c", "b", "a"], answers.Select(r => r.Split("\r\n")[4]));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task ATimeoutAnswersNilAndClientUnblockEndsAWait()
    {
        using var blocked = new RawClient(fixture.Port);
        using var other = new RawClient(fixture.Port);
        Assert.Equal("*-1\r\n", blocked.Call("BLPOP", Key("none"), "0.2"));

        // The 200 ms spent waiting is not the command's cost in INFO commandstats (as in Redis):
        // per call it stays below the shortest wait any test here makes (50 ms).
        string stats = other.Call("INFO", "commandstats").Split("\r\n").First(l => l.StartsWith("cmdstat_blpop:", StringComparison.Ordinal));
        double perCall = double.Parse(stats.Split(',').First(f => f.StartsWith("usec_per_call=", StringComparison.Ordinal))["usec_per_call=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(perCall < 50_000, stats);
        Assert.Equal("*-1\r\n", blocked.Call("BLMOVE", Key("none"), Key("dst"), "LEFT", "RIGHT", "0.1"));
        long id = long.Parse(blocked.Call("CLIENT", "ID")[1..^2]);

        var waiting = Task.Run(() => blocked.Call("BZPOPMIN", Key("none"), "0"));
        await WaitUntil(() => other.InfoField("clients", "blocked_clients") == 1);
        Assert.Equal(":1\r\n", other.Call("CLIENT", "UNBLOCK", id.ToString()));
        Assert.Equal("*-1\r\n", await waiting);
        Assert.Equal(":0\r\n", other.Call("CLIENT", "UNBLOCK", id.ToString()));

        waiting = Task.Run(() => blocked.Call("BLMPOP", "0", "1", Key("none"), "LEFT"));
        await WaitUntil(() => other.InfoField("clients", "blocked_clients") == 1);
        Assert.Equal(":1\r\n", other.Call("CLIENT", "UNBLOCK", id.ToString(), "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", await waiting);
        Assert.Equal("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", other.Call("CLIENT", "UNBLOCK", id.ToString(), "LATER"));
    }

    [Fact]
    public async Task ClientsThatDisconnectedWhileBlockedTakeNoElement()
    {
        string key = Key("gone");
        using var observer = new RawClient(fixture.Port);
        var blocked = Enumerable.Range(0, 10).Select(_ => new RawClient(fixture.Port)).ToList();
        blocked.ForEach(client => client.Command("BLPOP", Key("other"), key, "0"));
        await WaitUntil(() => observer.InfoField("clients", "blocked_clients") == 10);
        blocked.ForEach(client => client.Dispose());
        await Task.Delay(100);
        for (int i = 0; i < 10; i++)
        {
            observer.Call("RPUSH", key, $"kept{i}");
        }

        await WaitUntil(() => observer.InfoField("clients", "blocked_clients") == 0);
        Assert.Equal(":10\r\n", observer.Call("LLEN", key));
    }

    [Fact]
    public async Task BlmoveWaitsForItsSourceAndMovesWhatArrives()
    {
        var second = await fixture.StartServer();
        string source = Key("src"), destination = Key("dst");
        using var blocked = new RawClient(fixture.Port);
        using var pusher = new RawClient(second.Port);
        var reply = Task.Run(() => blocked.Call("BLMOVE", source, destination, "RIGHT", "LEFT", "10"));
        await WaitUntil(() => pusher.Call("CLIENT", "LIST").Length > 0 && new RawClient(fixture.Port).InfoField("clients", "blocked_clients") == 1);
        pusher.Call("RPUSH", source, "job");
        Assert.Equal("$3\r\njob\r\n", await reply);
        Assert.Equal("*1\r\n$3\r\njob\r\n", pusher.Call("LRANGE", destination, "0", "-1"));
        Assert.Equal(":0\r\n", pusher.Call("EXISTS", source));
    }

    [Fact]
    public async Task EveryElementPushedIsReceivedOnceOrStillThereWhateverEndsTheWaits()
    {
        const int Elements = 1500;
        var second = await fixture.StartServer();
        int[] ports = [fixture.Port, second.Port];
        string[] keys = [Key("c1"), Key("c2"), Key("c3")];
        var received = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        long unblocks = 0, timeouts = 0;

        // Consumers on both servers, with short timeouts. (A client that disconnects while blocked
        // is tested on its own: here it could not tell an element sent as it left from one lost.)
        var consumers = Enumerable.Range(0, 6).Select(n => Task.Run(() =>
        {
            var random = new Random(n);
            using var client = new RawClient(ports[n % 2]);
            while (!stop.IsCancellationRequested)
            {
                string reply = n % 3 == 0
                    ? client.Call("BLMPOP", "0.05", "3", keys[0], keys[1], keys[2], "LEFT", "COUNT", "2")
                    : client.Call(n % 2 == 0 ? "BLPOP" : "BRPOP", keys[random.Next(3)], keys[random.Next(3)], "0.05");
                if (reply == "*-1\r\n")
                {
                    Interlocked.Increment(ref timeouts);
                    continue;
                }

                foreach (string element in Popped(reply, multi: n % 3 == 0))
                {
                    received.Add(element);
                }
            }
        })).ToList();

        // CLIENT UNBLOCK of whoever is blocked, now and then, from the other server.
        var unblocker = Task.Run(async () =>
        {
            using var admin = new RawClient(second.Port);
            using var admin1 = new RawClient(fixture.Port);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(30);
                foreach (string line in admin1.Call("CLIENT", "LIST").Split('\n').Where(l => l.Contains("flags=b")).Take(1))
                {
                    string id = line.Split(' ')[0].Split('=')[1];
                    if (admin1.Call("CLIENT", "UNBLOCK", id) == ":1\r\n")
                    {
                        Interlocked.Increment(ref unblocks);
                    }
                }
            }
        });

        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
        {
            using var client = new RawClient(ports[p]);
            for (int i = p; i < Elements; i += 2)
            {
                Assert.StartsWith(":", client.Call("RPUSH", keys[i % 3], $"e{i}"));
                if (i % 50 == 0)
                {
                    await Task.Delay(5);
                }
            }
        })).ToList();

        await Task.WhenAll(producers);
        using var reader = new RawClient(fixture.Port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && received.Count + keys.Sum(k => Length(reader, k)) < Elements)
        {
            await Task.Delay(50);
        }

        stop.Cancel();
        await Task.WhenAll(consumers);
        await unblocker;
        var left = keys.SelectMany(k => Popped(reader.Call("LRANGE", k, "0", "-1"), multi: false, flat: true)).ToList();
        var all = received.Concat(left).ToList();
        output.WriteLine($"received {received.Count}, left {left.Count}; {timeouts} timeouts, {unblocks} unblocks");
        Assert.Equal(Elements, all.Distinct().Count());
        Assert.Equal(Elements, all.Count);
    }

    private static long Length(RawClient client, string key) => long.Parse(client.Call("LLEN", key)[1..^2]);

    // The elements of a BLPOP reply ([key, element]), a BLMPOP reply ([key, [elements]]) or (flat) an LRANGE reply.
    private static IEnumerable<string> Popped(string reply, bool multi, bool flat = false)
    {
        var lines = reply.Split("\r\n");
        if (flat)
        {
            return lines.Where((_, i) => i > 0 && i % 2 == 0 && i < lines.Length - 1);
        }

        return multi
            ? lines.Skip(4).Where((_, i) => i % 2 == 1)
            : [lines[4]];
    }

    private static string Key(string name) => $"block:{name}:{Guid.NewGuid():N}";

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in 10 s");
            await Task.Delay(20);
        }
    }
}
