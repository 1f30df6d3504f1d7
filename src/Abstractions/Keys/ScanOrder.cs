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

    /// <summary>
    /// Takes the <paramref name="count"/> items with the smallest positions at or after
    /// <paramref name="cursor"/>, in position order, and the cursor that follows them (0 when
    /// nothing is left). Items sharing the last position all go in the same page.
    /// </summary>
    public static (List<T> Page, ulong Next) Page<T>(IEnumerable<(T Item, ulong Position)> items, ulong cursor, int count)
    {
        count = Math.Max(1, count);
        var largestFirst = new PriorityQueue<(T Item, ulong Position), ulong>(Comparer<ulong>.Create((a, b) => b.CompareTo(a)));
        var tiesAtTop = new List<(T Item, ulong Position)>();
        long remaining = 0;
        foreach (var entry in items)
        {
            if (entry.Position < cursor)
            {
                continue;
            }

            remaining++;
            if (largestFirst.Count < count)
            {
                largestFirst.Enqueue(entry, entry.Position);
            }
            else if (largestFirst.TryPeek(out _, out ulong top) && entry.Position < top)
            {
                largestFirst.EnqueueDequeue(entry, entry.Position);
            }
            else if (entry.Position == top)
            {
                tiesAtTop.Add(entry);
            }
        }

        var page = new List<(T Item, ulong Position)>(largestFirst.Count);
        while (largestFirst.TryDequeue(out var entry, out _))
        {
            page.Add(entry);
        }

        page.Reverse();
        ulong last = page.Count > 0 ? page[^1].Position : 0;
        page.AddRange(tiesAtTop.Where(t => t.Position == last));
        bool more = remaining > page.Count;
        return (page.Select(e => e.Item).ToList(), more ? last + 1 : 0);
    }
}
