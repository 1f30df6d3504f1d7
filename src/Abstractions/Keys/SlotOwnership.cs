using System.IO.Hashing;
using System.Text;

namespace OrleansRedis.Abstractions.Keys;

/// <summary>
/// Which node owns a hash slot: rendezvous (highest random weight) hashing of the slot over
/// the nodes' names, so that adding or removing a node moves only the slots it gains or loses.
/// </summary>
public static class SlotOwnership
{
    /// <summary>The owner of <paramref name="slot"/> among <paramref name="nodes"/>, or null when there are none.</summary>
    public static T? Owner<T>(int slot, IEnumerable<T> nodes, Func<T, string> nameOf)
        where T : class
    {
        T? best = null;
        ulong bestWeight = 0;
        foreach (var node in nodes)
        {
            ulong weight = Weight(slot, nameOf(node));
            if (best is null || weight > bestWeight)
            {
                best = node;
                bestWeight = weight;
            }
        }

        return best;
    }

    /// <summary>The owner of <paramref name="key"/>'s slot.</summary>
    public static T? OwnerOfKey<T>(ReadOnlySpan<byte> key, IEnumerable<T> nodes, Func<T, string> nameOf)
        where T : class => Owner(HashSlot.Of(key), nodes, nameOf);

    private static ulong Weight(int slot, string node)
    {
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(node.Length) + 4];
        int length = Encoding.UTF8.GetBytes(node, buffer);
        BitConverter.TryWriteBytes(buffer[length..], slot);
        return XxHash64.HashToUInt64(buffer[..(length + 4)]);
    }
}
