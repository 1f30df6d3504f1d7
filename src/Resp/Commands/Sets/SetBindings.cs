using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Dispatch;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Resp.Commands.Sets;

/// <summary>
/// The set commands. Those on one set run whole in its key grain (see the Grains project's
/// <c>Commands/Sets</c>). Those over several sets (SINTER, SUNION, SDIFF, SINTERCARD and the
/// STORE forms) read each set from its grain (SMEMBERS, all at once) and combine them here, as
/// Redis's t_set.c does: each set as it was when read, not one snapshot of all of them (see
/// docs/compatibility.md); a STORE then replaces its destination in one call to its grain.
/// </summary>
public static class SetBindings
{
    private static readonly ErrorReply NumKeysNotPositive = new("ERR numkeys should be greater than 0");
    private static readonly ErrorReply TooManyKeys = new("ERR Number of keys can't be greater than number of args");
    private static readonly ErrorReply LimitNegative = new("ERR LIMIT can't be negative");

    // Redis's set-max-intset-entries: a result of at most this many integers is an intset, listed in order.
    private const int IntsetMaxEntries = 512;

    private enum Operation
    {
        Inter,
        Union,
        Diff,
    }

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        KeyRouting.Bind("sadd", CommandId.SAdd),
        KeyRouting.Bind("srem", CommandId.SRem),
        KeyRouting.Bind("scard", CommandId.SCard),
        KeyRouting.Bind("sismember", CommandId.SIsMember),
        KeyRouting.Bind("smismember", CommandId.SMIsMember),
        KeyRouting.Bind("smembers", CommandId.SMembers),
        KeyRouting.Bind("srandmember", CommandId.SRandMember),
        KeyRouting.Bind("spop", CommandId.SPop),
        KeyRouting.Bind("sscan", CommandId.SScan),
        new("smove", CommandId.SMove, Moves.SMove),
        new("sinter", CommandId.SInter, ctx => Combine(ctx, Operation.Inter)),
        new("sunion", CommandId.SUnion, ctx => Combine(ctx, Operation.Union)),
        new("sdiff", CommandId.SDiff, ctx => Combine(ctx, Operation.Diff)),
        new("sintercard", CommandId.SInterCard, InterCard),
        new("sinterstore", CommandId.SInterStore, ctx => Store(ctx, Operation.Inter, "sinterstore")),
        new("sunionstore", CommandId.SUnionStore, ctx => Store(ctx, Operation.Union, "sunionstore")),
        new("sdiffstore", CommandId.SDiffStore, ctx => Store(ctx, Operation.Diff, "sdiffstore")),
    ];

    private static async ValueTask<Reply> Combine(CommandContext ctx, Operation operation)
    {
        var (error, members) = await Evaluate(ctx, operation, ctx.Args.ToArrays(1), limit: 0);
        return error ?? SetOf(members!);
    }

    private static async ValueTask<Reply> InterCard(CommandContext ctx)
    {
        if (!ctx.Args.TryGetInt64(1, out long numKeys) || numKeys < 1)
        {
            return NumKeysNotPositive;
        }

        if (numKeys > ctx.Args.Count - 2)
        {
            return TooManyKeys;
        }

        long limit = 0;
        for (int i = 2 + (int)numKeys; i < ctx.Args.Count; i++)
        {
            if (ctx.Args.Is(i, "LIMIT"u8) && i + 1 < ctx.Args.Count)
            {
                // As Redis's getPositiveLongFromObjectOrReply: one message for not a number and negative.
                if (!ctx.Args.TryGetInt64(++i, out limit) || limit < 0)
                {
                    return LimitNegative;
                }
            }
            else
            {
                return Errors.Syntax;
            }
        }

        var keys = Enumerable.Range(2, (int)numKeys).Select(ctx.Args.ToArray).ToArray();
        var (error, members) = await Evaluate(ctx, Operation.Inter, keys, limit);
        return error ?? Reply.Integer(members!.Count);
    }

    private static async ValueTask<Reply> Store(CommandContext ctx, Operation operation, string eventName)
    {
        byte[] destination = ctx.Args.ToArray(1);
        var keys = ctx.Args.ToArrays(2);
        KeyRouting.RefuseIfAnyUnserved(ctx, [destination, .. keys]);
        var (error, members) = await Evaluate(ctx, operation, keys, limit: 0);
        if (error is not null)
        {
            return error;
        }

        if (members!.Count == 0)
        {
            await ResultStore.Delete(ctx, destination);
            return Reply.Integer(0);
        }

        await ResultStore.Replace(ctx, destination, new KeySnapshot(ValueType.Set, null, null, 0) { SetMembers = [.. members] }, KeyspaceEventFlags.Set, eventName);
        return Reply.Integer(members.Count);
    }

    // The sets named by keys, read at once, combined as Redis does: WRONGTYPE if any key holds
    // another type; a missing key is an empty set (so SINTER with one is empty).
    private static async Task<(Reply? Error, List<byte[]>? Members)> Evaluate(CommandContext ctx, Operation operation, byte[][] keys, long limit)
    {
        var replies = await KeyRouting.OnEachKey(ctx, CommandId.SMembers, keys);
        if (replies.OfType<ErrorReply>().FirstOrDefault() is { } error)
        {
            return (error, null);
        }

        var sets = new List<byte[][]>(replies.Length);
        foreach (var reply in replies)
        {
            var members = ((SetReply)reply).Items.Select(item => ((BulkReply)item).Value).ToArray();
            if (members.Length == 0 && operation == Operation.Inter)
            {
                return (null, []);
            }

            sets.Add(members);
        }

        return (null, operation switch
        {
            Operation.Inter => Intersect(sets, limit),
            Operation.Union => InRedisOrder(sets.SelectMany(set => set).Distinct(ByteArrayComparer.Instance)),
            _ => InRedisOrder(sets[0].Except(sets.Skip(1).SelectMany(set => set), ByteArrayComparer.Instance)),
        });
    }

    // Members of the smallest set, in its order, that every other set has (up to limit, 0 for all).
    private static List<byte[]> Intersect(List<byte[][]> sets, long limit)
    {
        var ordered = sets.OrderBy(set => set.Length).ToList();
        var others = ordered.Skip(1).Select(set => set.ToHashSet(ByteArrayComparer.Instance)).ToList();
        var result = new List<byte[]>();
        foreach (var member in ordered[0])
        {
            if (others.All(other => other.Contains(member)))
            {
                result.Add(member);
                if (limit > 0 && result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }

    // Redis builds SUNION's and SDIFF's result as a new set: an intset, listed in order, while it
    // holds only integers and at most 512 of them.
    private static List<byte[]> InRedisOrder(IEnumerable<byte[]> members)
    {
        var list = members.ToList();
        if (list.Count <= IntsetMaxEntries && list.All(m => RedisNumber.TryParseInt64(m, out _)))
        {
            list.Sort((a, b) => Integer(a).CompareTo(Integer(b)));
        }

        return list;
    }

    private static long Integer(byte[] member) => RedisNumber.TryParseInt64(member, out long value) ? value : 0;

    private static SetReply SetOf(List<byte[]> members) => new(members.Select(m => (Reply)new BulkReply(m)).ToArray());
}
