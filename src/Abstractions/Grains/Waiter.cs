using OrleansRedis.Abstractions.Commands;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// A client blocked on a key, as its key grain keeps it: whom to claim and deliver to, and what
/// to do for it once the key has elements: <see cref="Pop"/> (LPOP, RPOP, ZPOPMIN or ZPOPMAX,
/// with a count for BLMPOP and BZMPOP), or, with <see cref="MoveTo"/>, that pop's element pushed
/// onto another key by <see cref="Push"/> (BLMOVE, BRPOPLPUSH).
/// </summary>
[GenerateSerializer, Immutable, Alias("waiter")]
public sealed record Waiter(
    [property: Id(0)] IBlockedClientsListener Listener,
    [property: Id(1)] long Id,
    [property: Id(2)] KeyCommand Pop,
    [property: Id(3)] byte[]? MoveTo,
    [property: Id(4)] CommandId Push)
{
    /// <summary>Whether it waits for a sorted set (else for a list).</summary>
    public bool WantsSortedSet => Pop.Id is CommandId.ZPopMin or CommandId.ZPopMax;
}
