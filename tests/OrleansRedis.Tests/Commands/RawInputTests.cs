using System.Net.Sockets;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// Byte sequences sent as they are to OrleansRedis and to a real redis-server, and everything
/// each sends back compared byte for byte: input whose replies a request/reply client cannot
/// read one at a time (NUL bytes in inline commands, CLIENT REPLY OFF and SKIP). Redis looks
/// for an inline command's end with strchr, which stops at a NUL: such a line never ends, and
/// the connection waits until the inline limit (64 KB) gives a protocol error.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RawInputTests(ClusterFixture fixture)
{
    public static TheoryData<string, string> Inputs => new()
    {
        { "NUL in a bulk is data", "*3\r\n$3\r\nSET\r\n$5\r\nnul:d\r\n$3\r\na\0b\r\nGET nul:d\r\nDEL nul:d\r\n" },
        { "CLIENT REPLY OFF then ON", "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\nSET r:a 1\r\nGET r:a\r\nCLIENT REPLY ON\r\nGET r:a\r\nDEL r:a\r\n" },
        { "CLIENT REPLY SKIP", "CLIENT REPLY SKIP\r\nSET r:b 2\r\nGET r:b\r\nCLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nGET r:b\r\nGET r:b\r\nDEL r:b\r\n" },
        { "CLIENT REPLY errors", "CLIENT REPLY MAYBE\r\nCLIENT REPLY\r\nCLIENT REPLY ON extra\r\n" },
    };

    public static TheoryData<string, string> StallingInputs => new()
    {
        { "NUL in an inline command", "SET nul:a b\0c\r\nGET nul:a\r\n" },
        { "NUL at the start of an inline line", "\0SET nul:b x\r\nEXISTS nul:b\r\n" },
        { "NUL inside quotes", "SET nul:c \"x\0y\"\r\nEXISTS nul:c\r\n" },
        { "NUL after a whole command", "SET nul:d 1\r\nGET nul:d\0\r\nDEL nul:d\r\n" },
    };

    [Theory]
    [MemberData(nameof(StallingInputs))]
    public void ANulInAnInlineCommandStallsTheConnectionUntilTheInlineLimitAsInRedis(string name, string input)
    {
        string padding = new('x', 70_000);
        string expected = UntilClosed(fixture.Redis.Port, input + padding);
        string actual = UntilClosed(fixture.Port, input + padding);
        Assert.Contains("too big inline request", expected);
        Assert.True(expected == actual, $"{name}:\nredis: {Visible(expected)}\nours:  {Visible(actual)}");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TheServerAnswersAsRedisDoes(string name, string input)
    {
        string expected = Transcript(fixture.Redis.Port, input);
        string actual = Transcript(fixture.Port, input);
        Assert.True(expected == actual, $"{name}:\nredis: {Visible(expected)}\nours:  {Visible(actual)}");
    }

    // Sends the input, then a PING whose PONG marks the end, and returns every byte before it.
    private static string Transcript(int port, string input)
    {
        using var tcp = new TcpClient("127.0.0.1", port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 10_000;
        stream.Write(Encoding.Latin1.GetBytes(input + "PING end-of-transcript\r\n"));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        const string end = "$17\r\nend-of-transcript\r\n";
        while (!received.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            int read = stream.Read(buffer);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    // Sends the input and returns every byte the server sends until it closes the connection.
    private static string UntilClosed(int port, string input)
    {
        using var tcp = new TcpClient("127.0.0.1", port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 10_000;
        stream.Write(Encoding.Latin1.GetBytes(input));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (stream.Read(buffer) is var read and > 0)
        {
            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    private static string Visible(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\0", "\\0");
}
