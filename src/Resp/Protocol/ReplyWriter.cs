using System.Buffers;
using System.Globalization;
using System.Text;
using OrleansRedis.Abstractions.Protocol;
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
                RespPrimitives.WriteLength(output, (byte)':', integer.Value);
                break;
            case BulkReply bulk:
                RespPrimitives.WriteBulk(output, bulk.Value);
                break;
            case NullReply nullReply:
                RespPrimitives.WriteRaw(output, resp3 ? "_\r\n"u8 : nullReply.Kind == NullKind.Bulk ? "$-1\r\n"u8 : "*-1\r\n"u8);
                break;
            case ArrayReply array:
                WriteAggregate(output, (byte)'*', array.Items, protocol);
                break;
            case PackedBulkArrayReply packed:
                RespPrimitives.WriteLength(output, (byte)'*', packed.Ends.Length);
                for (int i = 0; i < packed.Ends.Length; i++)
                {
                    RespPrimitives.WriteBulk(output, packed[i]);
                }

                break;
            case MapReply map:
                if (resp3)
                {
                    RespPrimitives.WriteLength(output, (byte)'%', map.KeysAndValues.Length / 2);
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
                    RespPrimitives.WriteLength(output, (byte)'*', pairs.FlatItems.Length / 2);
                    for (int i = 0; i + 1 < pairs.FlatItems.Length; i += 2)
                    {
                        RespPrimitives.WriteLength(output, (byte)'*', 2);
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
                    RespPrimitives.WriteLength(output, (byte)'=', text.Length + 4);
                    RespPrimitives.WriteRaw(output, "txt:"u8);
                    RespPrimitives.WriteRaw(output, text);
                    RespPrimitives.WriteRaw(output, "\r\n"u8);
                }
                else
                {
                    RespPrimitives.WriteBulk(output, Encoding.UTF8.GetBytes(verbatim.Text));
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
                    RespPrimitives.WriteBulk(output, Encoding.ASCII.GetBytes(formatted));
                }

                break;
            case SequenceReply sequence:
                foreach (var item in sequence.Replies)
                {
                    Write(output, item, protocol);
                }

                break;
            case NoReply:
                break;
            default:
                throw new ArgumentException($"Unknown reply {reply.GetType().Name}", nameof(reply));
        }
    }

    /// <summary>A double as Redis prints it (%.17g; inf, -inf, nan).</summary>
    public static string FormatDouble(double value) => Abstractions.Text.RedisNumber.FormatDouble(value);

    private static void WriteAggregate(IBufferWriter<byte> output, byte kind, Reply[] items, int protocol)
    {
        RespPrimitives.WriteLength(output, kind, items.Length);
        WriteItems(output, items, protocol);
    }

    private static void WriteItems(IBufferWriter<byte> output, Reply[] items, int protocol)
    {
        foreach (var item in items)
        {
            Write(output, item, protocol);
        }
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
}
