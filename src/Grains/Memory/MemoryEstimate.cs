using OrleansRedis.Grains.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Memory;

/// <summary>
/// The bytes a key is counted for, by MEMORY USAGE and by the node's used memory (what
/// maxmemory limits): its name and value bytes, and fixed costs per key and per hash field in
/// the spirit of Redis's own (a dictionary entry, an object header, string headers).
/// </summary>
public static class MemoryEstimate
{
    /// <summary>Cost of a key besides its bytes.</summary>
    public const int PerKey = 48;

    /// <summary>
    /// Cost of a hash field besides its bytes: its dictionary entry and the two arrays' headers.
    /// Measured: 200,000 fields of about 22 bytes grew the process's RSS by 141 bytes each.
    /// </summary>
    public const int PerField = 116;

    /// <summary>
    /// Cost of a set member besides its bytes: its place in the members' list and in the
    /// dictionary of places, and its array's header and padding. Measured: 200,000 members of
    /// about 12 bytes grew the process's RSS by about 126 bytes each (UsedMemoryAccountingTests,
    /// one large set).
    /// </summary>
    public const int PerMember = 110;

    /// <summary>
    /// Cost of a sorted set member besides its bytes: its score and place in the member
    /// dictionary, its skip-list node with its array of levels, its entry in the member list,
    /// and its array's header and padding. Measured: 200,000 members of about 12 bytes grew the
    /// process's RSS by about 223 bytes each (UsedMemoryAccountingTests, one large sorted set).
    /// </summary>
    public const int PerScoredMember = 200;

    /// <summary>
    /// Cost of an active key grain (an Orleans activation and its state), counted in the node's
    /// used memory on top of the keys' estimates: UsedMemoryAccountingTests measures 2,470–2,550
    /// bytes of resident memory per small active key, of which about 230 are its own estimate and
    /// its index entry.
    /// </summary>
    public const int PerActivation = 2300;

    /// <summary>
    /// Cost of a key's entry in the node index (its name, type, expiry, record positions, its
    /// place in SCAN order, the table's share), active or not, besides the key's own estimate
    /// (which counts the value's bytes even while only the AOF holds them): measured with 300,000
    /// small idle keys (100-byte values, own estimate about 166), 204–213 bytes of resident memory
    /// each on a server that had run the same commands, 247 after a restart that loaded them (from
    /// an empty server); 60 puts used_memory within a tenth of either.
    /// </summary>
    public const int PerIndexEntry = 60;

    /// <summary>
    /// Cost of a value the node keeps parked for an idle key without the AOF (its entry in the
    /// parked table, the snapshot and the value's array; the value's bytes are in the key's own
    /// estimate): measured, a small string key parked costs about 520 bytes of resident memory,
    /// about 300 more than an idle one with the AOF.
    /// </summary>
    public const int PerParkedValue = 300;

    /// <summary>The key's estimate; 0 when it does not exist.</summary>
    public static int Of(int keyLength, KeyState state) => state.Type switch
    {
        ValueType.String => PerKey + keyLength + state.String!.Length,
        ValueType.Hash => (int)Math.Min(int.MaxValue, PerKey + keyLength + state.HashBytes + ((long)PerField * state.Hash!.Count)),
        ValueType.Set => (int)Math.Min(int.MaxValue, PerKey + keyLength + state.HashBytes + ((long)PerMember * state.Set!.Count)),
        ValueType.SortedSet => (int)Math.Min(int.MaxValue, PerKey + keyLength + state.HashBytes + ((long)PerScoredMember * state.SortedSet!.Count)),
        // A list's chunks are counted as allocated: the packed elements and their free room.
        ValueType.List => (int)Math.Min(int.MaxValue, PerKey + keyLength + state.List!.MemoryBytes),
        _ => 0,
    };
}
