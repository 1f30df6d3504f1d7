using System.Buffers;
using OrleansRedis.Abstractions.Protocol;

namespace OrleansRedis.Grains.Persistence;

/// <summary>Writes commands the way the AOF stores them: RESP arrays of bulk strings.</summary>
public static class AofRecords
{
    /// <summary>Appends <paramref name="args"/> as one RESP array.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<byte[]> args)
    {
        RespPrimitives.WriteLength(output, (byte)'*', args.Count);
        foreach (var arg in args)
        {
            RespPrimitives.WriteBulk(output, arg);
        }
    }

    /// <summary>The record that opens a transaction.</summary>
    public static readonly byte[][] Multi = ["MULTI"u8.ToArray()];

    /// <summary>The record that closes a transaction.</summary>
    public static readonly byte[][] Exec = ["EXEC"u8.ToArray()];

    /// <summary>The SELECT record for <paramref name="db"/>.</summary>
    public static byte[][] Select(int db) => ["SELECT"u8.ToArray(), OrleansRedis.Abstractions.Text.RedisNumber.Format(db)];
}
