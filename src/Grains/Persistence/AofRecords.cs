using System.Buffers;
using System.Buffers.Text;

namespace OrleansRedis.Grains.Persistence;

/// <summary>Writes commands the way the AOF stores them: RESP arrays of bulk strings.</summary>
public static class AofRecords
{
    /// <summary>Appends <paramref name="args"/> as one RESP array.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<byte[]> args)
    {
        WriteLength(output, (byte)'*', args.Count);
        foreach (var arg in args)
        {
            WriteLength(output, (byte)'$', arg.Length);
            output.Write(arg);
            output.Write("\r\n"u8);
        }
    }

    /// <summary>The SELECT record for <paramref name="db"/>.</summary>
    public static byte[][] Select(int db) => ["SELECT"u8.ToArray(), OrleansRedis.Abstractions.Text.RedisNumber.Format(db)];

    private static void WriteLength(IBufferWriter<byte> output, byte kind, long value)
    {
        var span = output.GetSpan(24);
        span[0] = kind;
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        output.Advance(written + 3);
    }
}
