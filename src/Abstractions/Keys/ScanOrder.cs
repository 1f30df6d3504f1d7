using System.IO.Hashing;

namespace OrleansRedis.Abstractions.Keys;

/// <summary>
/// The order SCAN and HSCAN walk in: by a stable 64-bit hash of each item, so a cursor is a
/// position in hash space that means the same on every node and after any insert or delete.
/// Every item present for the whole scan is returned; one added or removed meanwhile may or
/// may not be, as Redis promises.
/// </summary>
public static class ScanOrder
{
    /// <summary>The largest position an item may have.</summary>
    public const ulong MaxPosition = 1UL << 63;

    /// <summary>The item's position: in 1..2^63, so that cursor 0 can mean "start" and "done".</summary>
    public static ulong Position(ReadOnlySpan<byte> item) => (XxHash64.HashToUInt64(item) >> 1) + 1;
}
