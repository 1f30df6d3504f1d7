using System.Buffers;
using System.Text;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Resp.Protocol;
using Xunit;

namespace OrleansRedis.Tests.Protocol;

public sealed class RequestParserTests
{
    private const long MaxBulk = 512L * 1024 * 1024;

    public static TheoryData<string, string[]> WellFormed => new()
    {
        { "*1\r\n$4\r\nPING\r\n", ["PING"] },
        { "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", ["SET", "key", "value"] },
        { "*2\r\n$3\r\nGET\r\n$0\r\n\r\n", ["GET", ""] },
        { "*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n", ["ECHO", "a\r\nb"] },
        { "PING\r\n", ["PING"] },
        { "PING\n", ["PING"] },
        { "  set   k   v  \r\n", ["set", "k", "v"] },
        { "set \"a b\" 'c d'\r\n", ["set", "a b", "c d"] },
        { "echo \"\\x41\\n\\t\\\"\"\r\n", ["echo", "A\n\t\""] },
        { "echo 'it\\'s'\r\n", ["echo", "it's"] },
        { "echo \"\"\r\n", ["echo", ""] },
    };

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void ParsesARequest(string input, string[] expected)
    {
        var (status, args, consumed) = ParseOnce(Encoding.UTF8.GetBytes(input));
        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal(expected, args);
        Assert.Equal(Encoding.UTF8.GetByteCount(input), consumed);
    }

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void EveryStrictPrefixIsIncompleteAndLeavesTheReaderWhereItWas(string input, string[] expected)
    {
        _ = expected;
        byte[] bytes = Encoding.UTF8.GetBytes(input);
        for (int length = 0; length < bytes.Length; length++)
        {
            var (status, _, consumed) = ParseOnce(bytes[..length]);
            Assert.True(status == ParseStatus.Incomplete, $"prefix of {length} bytes: {status}");
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void ARequestSplitAtEveryByteParsesTheSame(string input, string[] expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(input);
        for (int split = 1; split < bytes.Length; split++)
        {
            var sequence = TwoSegments(bytes[..split], bytes[split..]);
            var (status, args, consumed) = Parse(sequence);
            Assert.Equal(ParseStatus.Complete, status);
            Assert.Equal(expected, args);
            Assert.Equal(bytes.Length, consumed);
        }
    }

    [Fact]
    public void BinaryArgumentsSplitAcrossSegmentsKeepEveryByte()
    {
        byte[] payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        byte[] request = [.. "*2\r\n$4\r\nECHO\r\n$256\r\n"u8.ToArray(), .. payload, .. "\r\n"u8.ToArray()];
        for (int split = 1; split < request.Length; split++)
        {
            var sequence = TwoSegments(request[..split], request[split..]);
            var reader = new SequenceReader<byte>(sequence);
            var args = new RequestArgs();
            Assert.Equal(ParseStatus.Complete, RequestParser.TryParse(ref reader, args, true, MaxBulk, out _));
            Assert.Equal(payload, args.ToArray(1));
        }
    }

    [Fact]
    public void PipelinedRequestsParseOneAfterAnother()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("*1\r\n$4\r\nPING\r\nECHO hi\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPI");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var args = new RequestArgs();
        var seen = new List<string>();
        while (RequestParser.TryParse(ref reader, args, true, MaxBulk, out _) == ParseStatus.Complete)
        {
            seen.Add(string.Join(' ', Enumerable.Range(0, args.Count).Select(args.GetString)));
        }

        Assert.Equal(["PING", "ECHO hi", "GET k"], seen);
        Assert.Equal(bytes.Length - "*1\r\n$4\r\nPI".Length, reader.Consumed);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("   \r\n")]
    public void EmptyRequestsAreConsumedWithoutArguments(string input)
    {
        var (status, args, consumed) = ParseOnce(Encoding.UTF8.GetBytes(input));
        Assert.Equal(ParseStatus.Complete, status);
        Assert.Empty(args);
        Assert.Equal(input.Length, consumed);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "*abc\r\n", "invalid multibulk length" },
        { "*3000000000\r\n", "invalid multibulk length" },
        { "*1\r\n+PING\r\n", "expected '$', got '+'" },
        { "*2\r\n$4\r\nECHO\r\n:1\r\n", "expected '$', got ':'" },
        { "*1\r\n$abc\r\n", "invalid bulk length" },
        { "*1\r\n$-5\r\n", "invalid bulk length" },
        { "*1\r\n$536870913\r\n", "invalid bulk length" },
        { "*1\r\n$01\r\n", "invalid bulk length" },
        { "set \"a b\r\n", "unbalanced quotes in request" },
        { "set \"a\"b\r\n", "unbalanced quotes in request" },
        { "set 'a\r\n", "unbalanced quotes in request" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedInputIsAProtocolErrorWithRedisText(string input, string expected)
    {
        var (status, _, _, error) = ParseWithError(Encoding.UTF8.GetBytes(input), authenticated: true);
        Assert.Equal(ParseStatus.Error, status);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void OversizedLinesAreRejectedBeforeTheirEnd()
    {
        string digits = new('1', RequestParser.MaxInlineLength + 10);
        Assert.Equal("too big mbulk count string", ParseWithError(Encoding.ASCII.GetBytes("*" + digits), true).Error);
        Assert.Equal("too big bulk count string", ParseWithError(Encoding.ASCII.GetBytes("*1\r\n$" + digits), true).Error);
        Assert.Equal("too big inline request", ParseWithError(Encoding.ASCII.GetBytes("PING " + digits), true).Error);
    }

    [Fact]
    public void ABulkLengthUpToTheLimitWaitsForItsData()
    {
        var (status, _, consumed, _) = ParseWithError("*1\r\n$536870912\r\nabc"u8.ToArray(), true);
        Assert.Equal(ParseStatus.Incomplete, status);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void UnauthenticatedClientsMeetRedisSmallerLimits()
    {
        Assert.Equal("unauthenticated multibulk length", ParseWithError("*11\r\n"u8.ToArray(), authenticated: false).Error);
        Assert.Equal("unauthenticated bulk length", ParseWithError("*1\r\n$16385\r\n"u8.ToArray(), authenticated: false).Error);
        Assert.Equal(ParseStatus.Complete, ParseWithError(RawRequest("AUTH", "secret"), authenticated: false).Status);
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(1234);
        var args = new RequestArgs();
        for (int round = 0; round < 20_000; round++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            if (round % 2 == 0)
            {
                bytes[0] = (byte)'*';
            }

            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            while (RequestParser.TryParse(ref reader, args, round % 3 == 0, MaxBulk, out _) == ParseStatus.Complete && !reader.End)
            {
            }
        }
    }

    private static byte[] RawRequest(params string[] args) => Infrastructure.RawClient.Encode(args);

    private static (ParseStatus Status, string[] Args, long Consumed) ParseOnce(byte[] bytes) =>
        Parse(new ReadOnlySequence<byte>(bytes));

    private static (ParseStatus Status, string[] Args, long Consumed) Parse(ReadOnlySequence<byte> sequence)
    {
        var reader = new SequenceReader<byte>(sequence);
        var args = new RequestArgs();
        var status = RequestParser.TryParse(ref reader, args, true, MaxBulk, out _);
        return (status, Enumerable.Range(0, args.Count).Select(args.GetString).ToArray(), reader.Consumed);
    }

    private static (ParseStatus Status, int Count, long Consumed, string? Error) ParseWithError(byte[] bytes, bool authenticated)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var args = new RequestArgs();
        var status = RequestParser.TryParse(ref reader, args, authenticated, MaxBulk, out string? error);
        return (status, args.Count, reader.Consumed, error);
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] first, byte[] second)
    {
        var head = new Segment(first);
        var tail = head.Append(second);
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory) => Memory = memory;

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
