using System.Buffers;
using System.Text;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Protocol;
using Xunit;

namespace OrleansRedis.Tests.Protocol;

public sealed class ReplyWriterTests
{
    public static TheoryData<string, string, string> Shapes => new()
    {
        { "status", "+OK\r\n", "+OK\r\n" },
        { "error", "-ERR bad\r\n", "-ERR bad\r\n" },
        { "integer", ":-42\r\n", ":-42\r\n" },
        { "bulk", "$5\r\nhello\r\n", "$5\r\nhello\r\n" },
        { "empty bulk", "$0\r\n\r\n", "$0\r\n\r\n" },
        { "null bulk", "$-1\r\n", "_\r\n" },
        { "null array", "*-1\r\n", "_\r\n" },
        { "array", "*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:1\r\n$1\r\na\r\n" },
        { "empty array", "*0\r\n", "*0\r\n" },
        { "map", "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n", "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n" },
        { "set", "*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "~2\r\n$1\r\nx\r\n$1\r\ny\r\n" },
        { "push", "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n" },
        { "pairs", "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n", "*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n" },
        { "verbatim", "$5\r\na:b\r\n\r\n", "=9\r\ntxt:a:b\r\n\r\n" },
        { "double", "$3\r\n1.5\r\n", ",1.5\r\n" },
        { "infinity", "$3\r\ninf\r\n", ",inf\r\n" },
        { "nested", "*1\r\n*1\r\n$-1\r\n", "*1\r\n*1\r\n_\r\n" },
        { "packed bulks", "*3\r\n$2\r\nab\r\n$0\r\n\r\n$3\r\ncde\r\n", "*3\r\n$2\r\nab\r\n$0\r\n\r\n$3\r\ncde\r\n" },
        { "packed, none", "*0\r\n", "*0\r\n" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WritesEveryShapeAsRedisDoesInBothProtocols(string shape, string resp2, string resp3)
    {
        var reply = Build(shape);
        Assert.Equal(resp2, Write(reply, 2));
        Assert.Equal(resp3, Write(reply, 3));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WhatIsWrittenParsesBack(string shape, string resp2, string resp3)
    {
        _ = resp2;
        byte[] bytes = Encoding.UTF8.GetBytes(resp3);
        int offset = 0;
        var parsed = ReplyParser.Parse(bytes, ref offset);
        Assert.Equal(bytes.Length, offset);
        Assert.Equal(resp3, Write(parsed is MapReply || shape != "pairs" ? parsed : Build(shape), 3));
    }

    [Fact]
    public void ErrorsNeverCarryANewline()
    {
        Assert.Equal("-ERR a  b c\r\n", Write(new ErrorReply("ERR a\r\nb\nc"), 2));
    }

    [Fact]
    public void LargeBulkStringsAreWrittenWhole()
    {
        var payload = new byte[1 << 20];
        new Random(7).NextBytes(payload);
        var buffer = new ArrayBufferWriter<byte>();
        ReplyWriter.Write(buffer, new BulkReply(payload), 2);
        Assert.Equal(payload, buffer.WrittenSpan[("$1048576\r\n".Length)..^2].ToArray());
    }

    private static Reply Build(string shape) => shape switch
    {
        "status" => Reply.Ok,
        "error" => new ErrorReply("ERR bad"),
        "integer" => Reply.Integer(-42),
        "bulk" => Reply.Bulk("hello"),
        "empty bulk" => new BulkReply([]),
        "null bulk" => Reply.NullBulk,
        "null array" => Reply.NullArray,
        "array" => new ArrayReply([Reply.Integer(1), Reply.Bulk("a")]),
        "empty array" => Reply.EmptyArray,
        "map" => new MapReply([Reply.Bulk("a"), Reply.Integer(1), Reply.Bulk("b"), Reply.Integer(2)]),
        "set" => new SetReply([Reply.Bulk("x"), Reply.Bulk("y")]),
        "push" => new PushReply([Reply.Bulk("message"), Reply.Bulk("ch"), Reply.Bulk("hi")]),
        "pairs" => new PairsReply([Reply.Bulk("f"), Reply.Bulk("v"), Reply.Bulk("g"), Reply.Bulk("w")]),
        "verbatim" => new VerbatimReply("a:b\r\n"),
        "double" => new DoubleReply(1.5),
        "infinity" => new DoubleReply(double.PositiveInfinity),
        "nested" => new ArrayReply([new ArrayReply([Reply.NullBulk])]),
        "packed bulks" => new PackedBulkArrayReply("abcde"u8.ToArray(), [2, 2, 5]),
        "packed, none" => new PackedBulkArrayReply([], []),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static string Write(Reply reply, int protocol)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ReplyWriter.Write(buffer, reply, protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
