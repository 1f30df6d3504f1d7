using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Commands;

/// <summary>Raw-socket behaviour: pipelining, splitting, protocol errors, authentication, RESP3, pub/sub shapes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConnectionTests(ClusterFixture fixture)
{
    [Fact]
    public void PipelinedCommandsAreAnsweredInOrder()
    {
        using var client = new RawClient(fixture.Port);
        var batch = new StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            batch.Append(Encoding.UTF8.GetString(RawClient.Encode("SET", "pipe:k", i.ToString())));
            batch.Append(Encoding.UTF8.GetString(RawClient.Encode("GET", "pipe:k")));
        }

        client.Send(batch.ToString());
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal("+OK\r\n", client.ReadReply());
            Assert.Equal($"${i.ToString().Length}\r\n{i}\r\n", client.ReadReply());
        }
    }

    [Fact]
    public void APipelineMixingKeysAndBarriersSeesEveryEarlierCommand()
    {
        using var client = new RawClient(fixture.Port);
        client.Call("DEL", "mix:a", "mix:b", "mix:c");
        byte[][] commands =
        [
            RawClient.Encode("SET", "mix:a", "1"), RawClient.Encode("INCR", "mix:a"), RawClient.Encode("SET", "mix:b", "x"),
            RawClient.Encode("INCR", "mix:a"), RawClient.Encode("GET", "mix:a"), RawClient.Encode("EXISTS", "mix:a", "mix:b", "mix:c"),
            RawClient.Encode("GET"), RawClient.Encode("RENAME", "mix:b", "mix:c"), RawClient.Encode("GET", "mix:c"),
            RawClient.Encode("DEL", "mix:a"), RawClient.Encode("INCR", "mix:a"), RawClient.Encode("SELECT", "1"),
            RawClient.Encode("GET", "mix:a"), RawClient.Encode("SELECT", "0"), RawClient.Encode("GET", "mix:a"),
        ];
        client.Send(commands.SelectMany(c => c).ToArray());
        string[] expected =
        [
            "+OK\r\n", ":2\r\n", "+OK\r\n", ":3\r\n", "$1\r\n3\r\n", ":2\r\n",
            "-ERR wrong number of arguments for 'get' command\r\n", "+OK\r\n", "$1\r\nx\r\n",
            ":1\r\n", ":1\r\n", "+OK\r\n", "$-1\r\n", "+OK\r\n", "$1\r\n1\r\n",
        ];
        Assert.Equal(expected, expected.Select(_ => client.ReadReply()).ToArray());
    }

    [Fact]
    public async Task ARequestSentOneByteAtATimeIsUnderstood()
    {
        using var client = new RawClient(fixture.Port);
        byte[] request = [.. RawClient.Encode("SET", "split:k", "a value with spaces"), .. "GET split:k\r\n"u8.ToArray()];
        foreach (byte b in request)
        {
            client.Send([b]);
            await Task.Delay(1);
        }

        Assert.Equal("+OK\r\n", client.ReadReply());
        Assert.Equal("$19\r\na value with spaces\r\n", client.ReadReply());
    }

    [Fact]
    public void InlineCommandsWorkAsInTelnet()
    {
        using var client = new RawClient(fixture.Port);
        client.Send("PING\r\nSET inline:k \"hello world\"\r\nGET inline:k\r\n\r\nECHO 'x y'\n");
        Assert.Equal("+PONG\r\n", client.ReadReply());
        Assert.Equal("+OK\r\n", client.ReadReply());
        Assert.Equal("$11\r\nhello world\r\n", client.ReadReply());
        Assert.Equal("$3\r\nx y\r\n", client.ReadReply());
    }

    [Theory]
    [InlineData("*1\r\n$600000000\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*1\r\n:5\r\n", "-ERR Protocol error: expected '$', got ':'\r\n")]
    [InlineData("SET \"unterminated\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n")]
    public void AProtocolErrorIsAnsweredAndClosesOnlyThatConnection(string input, string expected)
    {
        using var bystander = new RawClient(fixture.Port);
        Assert.Equal("+OK\r\n", bystander.Call("SET", "survivor", "still here"));

        using var offender = new RawClient(fixture.Port);
        offender.Send([.. RawClient.Encode("PING"), .. Encoding.UTF8.GetBytes(input), .. RawClient.Encode("PING")]);
        Assert.Equal("+PONG\r\n", offender.ReadReply());
        Assert.Equal(expected, offender.ReadReply());
        Assert.True(offender.IsClosedByServer());

        Assert.Equal("$10\r\nstill here\r\n", bystander.Call("GET", "survivor"));
    }

    [Fact]
    public void AnOversizedInlineRequestIsRefused()
    {
        using var client = new RawClient(fixture.Port);
        client.Send(new string('a', 70 * 1024));
        Assert.Equal("-ERR Protocol error: too big inline request\r\n", client.ReadReply());
        Assert.True(client.IsClosedByServer());
    }

    [Fact]
    public void ALargeValueRoundTrips()
    {
        using var client = new RawClient(fixture.Port);
        string value = new('v', 4 * 1024 * 1024);
        Assert.Equal("+OK\r\n", client.Call("SET", "large:k", value));
        Assert.Equal($"${value.Length}\r\n{value}\r\n", client.Call("GET", "large:k"));
        Assert.Equal(":1\r\n", client.Call("DEL", "large:k"));
    }

    [Fact]
    public async Task PasswordProtectedServerRequiresAuth()
    {
        var server = await fixture.StartServer(new Dictionary<string, string> { ["requirepass"] = "s3cret" });
        using var client = new RawClient(server.Port);
        Assert.Equal("-NOAUTH Authentication required.\r\n", client.Call("GET", "k"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", client.Call("AUTH", "wrong"));
        Assert.StartsWith("-NOAUTH HELLO must be called", client.Call("HELLO", "3"));
        Assert.Equal("+OK\r\n", client.Call("AUTH", "s3cret"));
        Assert.Equal("$-1\r\n", client.Call("GET", "auth:missing"));

        using var hello = new RawClient(server.Port);
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n", hello.Call("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "me"));
        Assert.Equal("$2\r\nme\r\n", hello.Call("CLIENT", "GETNAME"));
        Assert.Equal("+RESET\r\n", hello.Call("RESET"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", hello.Call("PING"));
    }

    [Fact]
    public void Resp3RepliesUseMapsAndNulls()
    {
        using var client = new RawClient(fixture.Port);
        string hello = client.Call("HELLO", "3");
        Assert.Matches(@"^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$10\r\nstandalone\r\n\$4\r\nrole\r\n\$6\r\nmaster\r\n\$7\r\nmodules\r\n\*0\r\n$", hello);
        client.Call("DEL", "r3:h");
        client.Call("HSET", "r3:h", "f", "v");
        Assert.Equal("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", client.Call("HGETALL", "r3:h"));
        Assert.Equal("_\r\n", client.Call("GET", "r3:missing"));
        Assert.StartsWith("=", client.Call("INFO", "server"));
    }

    [Fact]
    public void Resp2SubscribeModeAllowsOnlyPubSubCommands()
    {
        using var subscriber = new RawClient(fixture.Port);
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$4\r\nchan\r\n:1\r\n", subscriber.Call("SUBSCRIBE", "chan"));
        Assert.Equal("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", subscriber.Call("GET", "k"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", subscriber.Call("PING"));

        using var publisher = new RawClient(fixture.Port);
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "chan", "hi"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$2\r\nhi\r\n", subscriber.ReadReply());
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$4\r\nchan\r\n:0\r\n", subscriber.Call("UNSUBSCRIBE"));
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", subscriber.Call("UNSUBSCRIBE"));
        Assert.Equal("+PONG\r\n", subscriber.Call("PING"));
    }

    [Fact]
    public void Resp3SubscribersGetPushesAndMayRunCommands()
    {
        using var subscriber = new RawClient(fixture.Port);
        subscriber.Call("HELLO", "3");
        Assert.Equal(">3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n", subscriber.Call("PSUBSCRIBE", "n*"));
        Assert.Equal("_\r\n", subscriber.Call("GET", "push:missing"));

        using var publisher = new RawClient(fixture.Port);
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "news", "x"));
        Assert.Equal(">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$1\r\nx\r\n", subscriber.ReadReply());
        Assert.Equal(":1\r\n", publisher.Call("PUBSUB", "NUMPAT"));
    }

    [Fact]
    public async Task ClientsPastMaxclientsAreToldAndClosed()
    {
        var server = await fixture.StartServer(new Dictionary<string, string> { ["maxclients"] = "2" });
        using var first = new RawClient(server.Port);
        using var second = new RawClient(server.Port);
        Assert.Equal("+PONG\r\n", first.Call("PING"));
        Assert.Equal("+PONG\r\n", second.Call("PING"));
        using (var third = new RawClient(server.Port))
        {
            Assert.Equal("-ERR max number of clients reached\r\n", third.ReadReply());
            Assert.True(third.IsClosedByServer());
        }

        Assert.Contains("rejected_connections:1\r\n", first.Call("INFO", "stats"));
        Assert.Equal("+PONG\r\n", second.Call("PING"));
    }

    [Fact]
    public async Task ProtectedModeDeniesClientsFromOutsideTheLoopbackAsRedisDoes()
    {
        // 127.0.0.2 is on the loopback interface but is not 127.0.0.1, which is all Redis counts as local.
        var outside = System.Net.IPAddress.Parse("127.0.0.2");
        var server = await fixture.StartServer();
        string ours, redis;
        using (var outsider = new RawClient(server.Port, outside))
        {
            ours = outsider.ReadReply();
            Assert.True(outsider.IsClosedByServer());
        }

        using (var outsider = new RawClient(fixture.Redis.Port, outside))
        {
            redis = outsider.ReadReply();
        }

        Assert.StartsWith("-DENIED Redis is running in protected mode", ours);
        Assert.Equal(redis, ours);
        using (var local = new RawClient(server.Port))
        {
            Assert.Equal("+PONG\r\n", local.Call("PING"));
            Assert.Contains("rejected_connections:1\r\n", local.Call("INFO", "stats"));
        }

        // A password, or protected-mode no, lets outside clients in.
        var withPassword = await fixture.StartServer(new Dictionary<string, string> { ["requirepass"] = "s3cret" });
        using (var outsider = new RawClient(withPassword.Port, outside))
        {
            Assert.StartsWith("-NOAUTH", outsider.Call("PING"));
            Assert.Equal("+OK\r\n", outsider.Call("AUTH", "s3cret"));
        }

        var unprotected = await fixture.StartServer(new Dictionary<string, string> { ["protected-mode"] = "no" });
        using (var outsider = new RawClient(unprotected.Port, outside))
        {
            Assert.Equal("+PONG\r\n", outsider.Call("PING"));
        }

        // CONFIG SET protected-mode no, from the loopback interface, applies to the next connection.
        using (var local = new RawClient(server.Port))
        {
            Assert.Equal("+OK\r\n", local.Call("CONFIG", "SET", "protected-mode", "no"));
        }

        using (var outsider = new RawClient(server.Port, outside))
        {
            Assert.Equal("+PONG\r\n", outsider.Call("PING"));
        }
    }

    [Fact]
    public async Task IdleClientsAreClosedAfterTimeoutButSubscribersStay()
    {
        // timeout 2 s, and the busy client speaks every 250 ms: a wide margin on a loaded machine.
        var server = await fixture.StartServer(new Dictionary<string, string> { ["timeout"] = "2" });
        using var idle = new RawClient(server.Port);
        using var subscriber = new RawClient(server.Port);
        using var busy = new RawClient(server.Port);
        Assert.Equal("+PONG\r\n", idle.Call("PING"));
        subscriber.Call("SUBSCRIBE", "quiet");
        for (int i = 0; i < 16; i++)
        {
            await Task.Delay(250);
            Assert.Equal("+PONG\r\n", busy.Call("PING"));
        }

        Assert.True(idle.IsClosedByServer(3000));
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", subscriber.Call("PING"));
    }

    [Fact]
    public void QuitAnswersOkAndCloses()
    {
        using var client = new RawClient(fixture.Port);
        Assert.Equal("+OK\r\n", client.Call("QUIT"));
        Assert.True(client.IsClosedByServer());
    }

    [Fact]
    public void ClientListShowsNamesAndKillClosesAClient()
    {
        using var named = new RawClient(fixture.Port);
        named.Call("CLIENT", "SETNAME", "victim");
        string id = named.Call("CLIENT", "ID")[1..^2];
        using var admin = new RawClient(fixture.Port);
        string list = admin.Call("CLIENT", "LIST");
        Assert.Contains($"id={id} ", list);
        Assert.Contains("name=victim ", list);
        Assert.Equal(":1\r\n", admin.Call("CLIENT", "KILL", "ID", id));
        Assert.True(named.IsClosedByServer());
    }
}
