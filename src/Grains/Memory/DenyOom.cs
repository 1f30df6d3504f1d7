using OrleansRedis.Abstractions.Commands;

namespace OrleansRedis.Grains.Memory;

/// <summary>
/// The key commands Redis flags <c>denyoom</c> (they may grow memory): refused with OOM when
/// the node is over maxmemory and cannot evict. A test checks this list against the flags in
/// Redis's own command metadata.
/// </summary>
public static class DenyOom
{
    private static readonly bool[] Flagged = Build(
        CommandId.Set, CommandId.SetNx, CommandId.SetEx, CommandId.PSetEx, CommandId.GetSet, CommandId.MSet, CommandId.MSetNx,
        CommandId.Append, CommandId.SetRange, CommandId.Incr, CommandId.Decr, CommandId.IncrBy, CommandId.DecrBy,
        CommandId.IncrByFloat, CommandId.HSet, CommandId.HSetNx, CommandId.HMSet, CommandId.HIncrBy, CommandId.HIncrByFloat,
        CommandId.LPush, CommandId.RPush, CommandId.LPushX, CommandId.RPushX, CommandId.LInsert, CommandId.LSet,
        CommandId.SetBit, CommandId.BitField, CommandId.BitOp, CommandId.SAdd, CommandId.SInterStore, CommandId.SUnionStore, CommandId.SDiffStore, CommandId.ZAdd, CommandId.ZIncrBy,
        CommandId.ZUnionStore, CommandId.ZInterStore, CommandId.ZDiffStore, CommandId.ZRangeStore, CommandId.Copy, CommandId.Sort,
        CommandId.LMove, CommandId.RPopLPush, CommandId.BLMove, CommandId.BRPopLPush);

    /// <summary>Whether <paramref name="id"/> may grow memory.</summary>
    public static bool Contains(CommandId id) => (int)id < Flagged.Length && Flagged[(int)id];

    private static bool[] Build(params CommandId[] ids)
    {
        var flags = new bool[ids.Max(id => (int)id) + 1];
        foreach (var id in ids)
        {
            flags[(int)id] = true;
        }

        return flags;
    }
}
