using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Resp.Protocol;

/// <summary>
/// The one reply writer: turns a <see cref="Reply"/> into RESP2 or RESP3 bytes, the way
/// Redis 7 sends each shape in each protocol version.
/// </summary>
public static class ReplyWriter
{
    /// <summary>Writes <paramref name="reply"/> for a client speaking RESP <paramref name="protocol"/> (2 or 3).</summary>
    public static void Write(IBufferWriter<byte> output, Reply reply, int protocol)
    {
        bool resp3 = protocol >= 3;
        switch (reply)
        {
            case StatusReply status:
                WriteLine(output, (byte)'+', status.Value);
                break;
            case ErrorReply error:
                // Redis never lets a newline into an error line.
                WriteLine(output, (byte)'-', error.Message.Replace('\r', ' ').Replace('\n', ' '));
                break;
            case IntegerReply integer:
                WriteNumberLine(output, (byte)':', integer.Value);
                break;
            case BulkReply bulk:
                WriteBulk(output, bulk.Value);
                break;
            case NullReply nullReply:
                WriteRaw(output, resp3 ? "_\r\n"u8 : nullReply.Kind == NullKind.Bulk ? "$-1\r\n"u8 : "*-1\r\n"u8);
                break;
            case ArrayReply array:
                WriteAggregate(output, (byte)'*', array.Items, protocol);
                break;
            case MapReply map:
                if (resp3)
                {
                    WriteNumberLine(output, (byte)'%', map.KeysAndValues.Length / 2);
                    WriteItems(output, map.KeysAndValues, protocol);
                }
                else
                {
                    WriteAggregate(output, (byte)'*', map.KeysAndValues, protocol);
                }

                break;
            case SetReply set:
                WriteAggregate(output, resp3 ? (byte)'~' : (byte)'*', set.Items, protocol);
                break;
            case PushReply push:
                WriteAggregate(output, resp3 ? (byte)'>' : (byte)'*', push.Items, protocol);
                break;
            case PairsReply pairs:
                if (resp3)
                {
                    WriteNumberLine(output, (byte)'*', pairs.FlatItems.Length / 2);
                    for (int i = 0; i + 1 < pairs.FlatItems.Length; i += 2)
                    {
                        WriteNumberLine(output, (byte)'*', 2);
                        Write(output, pairs.FlatItems[i], protocol);
                        Write(output, pairs.FlatItems[i + 1], protocol);
                    }
                }
                else
                {
                    WriteAggregate(output, (byte)'*', pairs.FlatItems, protocol);
                }

                break;
            case VerbatimReply verbatim:
                if (resp3)
                {
                    byte[] text = Encoding.UTF8.GetBytes(verbatim.Text);
                    WriteNumberLine(output, (byte)'=', text.Length + 4);
                    WriteRaw(output, "txt:"u8);
                    WriteRaw(output, text);
                    WriteRaw(output, "\r\n"u8);
                }
                else
                {
                    WriteBulk(output, Encoding.UTF8.GetBytes(verbatim.Text));
                }

                break;
            case DoubleReply number:
                string formatted = FormatDouble(number.Value);
                if (resp3)
                {
                    WriteLine(output, (byte)',', formatted);
                }
                else
                {
                    WriteBulk(output, Encoding.ASCII.GetBytes(formatted));
                }

                break;
            case SequenceReply sequence:
                foreach (var item in sequence.Replies)
                {
                    Write(output, item, protocol);
                }

                break;
            default:
                throw new ArgumentException($"Unknown reply {reply.GetType().Name}", nameof(reply));
        }
    }

    /// <summary>A double as Redis prints it (%.17g; inf, -inf, nan).</summary>
    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double.NaN => "nan",
        _ => value.ToString("G17", CultureInfo.InvariantCulture).Replace("E+", "e+").Replace("E-", "e-"),
    };

    private static void WriteAggregate(IBufferWriter<byte> output, byte kind, Reply[] items, int protocol)
    {
        WriteNumberLine(output, kind, items.Length);
        WriteItems(output, items, protocol);
    }

    private static void WriteItems(IBufferWriter<byte> output, Reply[] items, int protocol)
    {
        foreach (var item in items)
        {
            Write(output, item, protocol);
        }
    }

    private static void WriteBulk(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteNumberLine(output, (byte)'$', value.Length);
        WriteRaw(output, value);
        WriteRaw(output, "\r\n"u8);
    }

    private static void WriteLine(IBufferWriter<byte> output, byte kind, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length) + 3;
        var span = output.GetSpan(max);
        span[0] = kind;
        int length = Encoding.UTF8.GetBytes(text, span[1..]);
        span[length + 1] = (byte)'\r';
        span[length + 2] = (byte)'\n';
        output.Advance(length + 3);
    }

    private static void WriteNumberLine(IBufferWriter<byte> output, byte kind, long value)
    {
        var span = output.GetSpan(24);
        span[0] = kind;
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        output.Advance(written + 3);
    }

    private static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 4096)
        {
            bytes.CopyTo(output.GetSpan(bytes.Length));
            output.Advance(bytes.Length);
            return;
        }

        while (bytes.Length > 0)
        {
            var span = output.GetSpan();
            int chunk = Math.Min(span.Length, bytes.Length);
            bytes[..chunk].CopyTo(span);
            output.Advance(chunk);
            bytes = bytes[chunk..];
        }
    }
}
