using System.Buffers.Text;
using System.Globalization;
using System.Text;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Resp.Protocol;

/// <summary>
/// Reads RESP2/RESP3 replies back into <see cref="Reply"/> values: used to load the command
/// metadata harvested from Redis, and by tests that check what the server sent.
/// </summary>
public static class ReplyParser
{
    /// <summary>Parses one reply starting at <paramref name="offset"/>; advances it past the reply. Throws on malformed or incomplete input.</summary>
    public static Reply Parse(ReadOnlySpan<byte> data, ref int offset)
    {
        byte kind = data[offset];
        int lineEnd = data[offset..].IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            throw new FormatException($"Incomplete reply at offset {offset}");
        }

        var head = data.Slice(offset + 1, lineEnd - 1);
        offset += lineEnd + 2;
        switch (kind)
        {
            case (byte)'+':
                return new StatusReply(Encoding.UTF8.GetString(head));
            case (byte)'-':
                return new ErrorReply(Encoding.UTF8.GetString(head));
            case (byte)':':
                return Reply.Integer(ParseLong(head));
            case (byte)'_':
                return Reply.NullBulk;
            case (byte)',':
                string text = Encoding.ASCII.GetString(head);
                return new DoubleReply(text switch
                {
                    "inf" => double.PositiveInfinity,
                    "-inf" => double.NegativeInfinity,
                    _ => double.Parse(text, CultureInfo.InvariantCulture),
                });
            case (byte)'$':
            case (byte)'=':
                long length = ParseLong(head);
                if (length < 0)
                {
                    return Reply.NullBulk;
                }

                var payload = data.Slice(offset, (int)length).ToArray();
                offset += (int)length + 2;
                return kind == (byte)'$' ? new BulkReply(payload) : new VerbatimReply(Encoding.UTF8.GetString(payload, 4, payload.Length - 4));
            case (byte)'*':
            case (byte)'~':
            case (byte)'>':
            case (byte)'%':
                long count = ParseLong(head);
                if (count < 0)
                {
                    return Reply.NullArray;
                }

                var items = new Reply[kind == (byte)'%' ? count * 2 : count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = Parse(data, ref offset);
                }

                return kind switch
                {
                    (byte)'~' => new SetReply(items),
                    (byte)'>' => new PushReply(items),
                    (byte)'%' => new MapReply(items),
                    _ => new ArrayReply(items),
                };
            default:
                throw new FormatException($"Unknown reply type '{(char)kind}' at offset {offset}");
        }
    }

    private static long ParseLong(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long value, out int used) && used == text.Length
            ? value
            : throw new FormatException($"Not a number: {Encoding.ASCII.GetString(text)}");
}
