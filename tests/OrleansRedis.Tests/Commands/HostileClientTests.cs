using System.Net.Sockets;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// Clients that are slow, greedy or half-finished: they cannot block others, make the server
/// hold memory they have not sent, or make it hold replies they do not read past the limit.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HostileClientTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AClientSendingOneByteAtATimeBlocksNobody()
    {
        using var slow = new RawClient(fixture.Port);
        using var bystander = new RawClient(fixture.Port);
        byte[] request = RawClient.Encode("SET", "loris:slow", "patience");
        for (int i = 0; i < request.Length; i++)
        {
            slow.Send(request[i..(i + 1)]);
            await Task.Delay(20);

            // Everyone else is served while the slow request is half there.
            Assert.Equal("+PONG\r\n", bystander.Call("PING"));
        }

        Assert.Equal("+OK\r\n", slow.ReadReply());
        Assert.Equal("$8\r\npatience\r\n", bystander.Call("GET", "loris:slow"));
    }

    [Fact]
    public async Task AHugeBulkAnnouncedButNeverSentHoldsNoMemory()
    {
        using var bystander = new RawClient(fixture.Port);
        long before = Rss(bystander);

        // Ten clients each announce a 512 MB value and send a few bytes of it.
        var stallers = Enumerable.Range(0, 10).Select(_ => new RawClient(fixture.Port)).ToList();
        foreach (var staller in stallers)
        {
            staller.Send("*3\r\n$3\r\nSET\r\n$11\r\nloris:stall\r\n$536870912\r\nabc");
        }

        await Task.Delay(1000);
        Assert.Equal("+PONG\r\n", bystander.Call("PING"));
        long grown = Rss(bystander) - before;
        Assert.True(grown < 256L * 1024 * 1024, $"the server grew by {grown / 1024 / 1024} MB for values it was never sent");
        foreach (var staller in stallers)
        {
            staller.Dispose();
        }

        Assert.Equal("$-1\r\n", bystander.Call("GET", "loris:stall"));
    }

    [Fact]
    public async Task AClientThatDoesNotReadItsRepliesIsClosedAtTheOutputBufferLimit()
    {
        var server = await fixture.StartServer(new Dictionary<string, string> { ["client-output-buffer-limit"] = "normal 1mb 0 0" });
        using var setup = new RawClient(server.Port);
        Assert.Contains("normal 1048576 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
            setup.Call("CONFIG", "GET", "client-output-buffer-limit"));
        Assert.Equal("+OK\r\n", setup.Call("SET", "greedy:big", new string('x', 100_000)));

        // 50 GETs of 100 KB in one pipeline: 5 MB of replies against a 1 MB limit.
        using var greedy = new RawClient(server.Port);
        greedy.Send(string.Concat(Enumerable.Repeat("GET greedy:big\r\n", 50)));
        Assert.True(greedy.IsClosedByServer(5000), "the greedy client was not disconnected");

        // Others go on; a client within the limit is not touched.
        Assert.Equal("+PONG\r\n", setup.Call("PING"));
        using var modest = new RawClient(server.Port);
        Assert.StartsWith("$100000\r\n", modest.Call("GET", "greedy:big"));

        // CONFIG SET merges one class into the others, as Redis does, and rejects nonsense.
        Assert.Equal("+OK\r\n", setup.Call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 2mb 1mb 30"));
        Assert.Contains("normal 1048576 0 0 slave 268435456 67108864 60 pubsub 2097152 1048576 30", setup.Call("CONFIG", "GET", "client-output-buffer-limit"));
        Assert.Equal(
            "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.\r\n",
            setup.Call("CONFIG", "SET", "client-output-buffer-limit", "nobody 1 1 1"));
    }

    // The server process's resident memory, as INFO reports it.
    private static long Rss(RawClient client)
    {
        string info = client.Call("INFO", "memory");
        string line = info.Split("\r\n").First(l => l.StartsWith("used_memory_rss:", StringComparison.Ordinal));
        return long.Parse(line["used_memory_rss:".Length..]);
    }
}
