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
    /// used memory on top of the keys' estimates: bench/memory.sh measures about 2,400 bytes
    /// more resident memory per key while its grain is active than once it is not (of which
    /// 2,000 counted here, the rest being the index entry every key has).
    /// </summary>
    public const int PerActivation = 2000;

    /// <summary>
    /// Cost of a key's entry in the node index (its name, type, expiry, record positions, its
    /// place in SCAN order, and the dictionaries' share, Orleans' included), active or not:
    /// about 270 bytes of resident memory per small idle key written by the node (no activation,
    /// bench/memory.sh from an empty server) and 315–370 after a restart that loaded it from the
    /// AOF, of which the key's own estimate is about 160: 160 sits between the two, so that
    /// used_memory is within a fifth of either. (A process's first commands also cost it some
    /// tens of MB once, JIT-compiled code and tables grown to size, which no key accounts for.)
    /// </summary>
    public const int PerIndexEntry = 160;

    /// <summary>
    /// Cost of a value the node keeps parked for an idle key without the AOF (its entry in the
    /// parked table, the snapshot and the value's array; the value's bytes are in the key's own
    /// estimate): measured, a small string key parked costs about 550 bytes of resident memory,
    /// 210 more than an idle one with the AOF.
    /// </summary>
    public const int PerParkedValue = 220;

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
