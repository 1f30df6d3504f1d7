using System.Buffers;
using System.Buffers.Text;

namespace OrleansRedis.Abstractions.Protocol;

/// <summary>The building blocks of RESP output, shared by the reply writer and the AOF writer.</summary>
public static class RespPrimitives
{
    /// <summary>Writes a type byte, a number and CRLF: <c>*3\r\n</c>, <c>$5\r\n</c>, <c>:42\r\n</c>.</summary>
    public static void WriteLength(IBufferWriter<byte> output, byte kind, long value)
    {
        var span = output.GetSpan(24);
        span[0] = kind;
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        output.Advance(written + 3);
    }

    /// <summary>Writes a bulk string: <c>$len\r\n</c>, the bytes, CRLF.</summary>
    public static void WriteBulk(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteLength(output, (byte)'$', value.Length);
        WriteRaw(output, value);
        WriteRaw(output, "\r\n"u8);
    }

    /// <summary>Writes bytes as they are, in as many buffer segments as they need.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
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
