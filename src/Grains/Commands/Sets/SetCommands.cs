using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Grains.Commands.Hashes;
using OrleansRedis.Grains.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.Sets;

/// <summary>
/// The set commands on one key: SADD, SREM, SPOP, SSCAN and the rest, with Redis 7.0's order
/// of checks (t_set.c). The commands over several sets (SINTER, SUNION, …) read each set with
/// <see cref="CommandId.SMembers"/> and combine them where the command was received.
/// </summary>
internal static class SetCommands
{
    // Redis answers SSCAN of an intset, and of a set this small, in one page.
    private const int SinglePageSetSize = 128;

    private static readonly ErrorReply CountNotPositive = new("ERR value is out of range, must be positive");

    public static Reply Execute(in KeyCommandContext ctx) => ctx.Command.Id switch
    {
        CommandId.SAdd => SAdd(ctx),
        CommandId.SRem => SRem(ctx),
        CommandId.SCard => IsOtherType(ctx) ? Errors.WrongType : Reply.Integer(ctx.State.Set?.Count ?? 0),
        CommandId.SIsMember => IsOtherType(ctx) ? Errors.WrongType : Reply.Integer(Contains(ctx, ctx.Args[1]) ? 1 : 0),
        CommandId.SMIsMember => SMIsMember(ctx),
        CommandId.SMembers => IsOtherType(ctx) ? Errors.WrongType : SetOf(Members(ctx.State)),
        CommandId.SRandMember => SRandMember(ctx),
        CommandId.SPop => SPop(ctx),
        CommandId.SScan => SScan(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a set command"),
    };

    /// <summary>The name Redis 7.0 gives the set's encoding (OBJECT ENCODING).</summary>
    public static string EncodingName(KeyState state) => state.SetIsHashtable ? "hashtable" : "intset";

    /// <summary>
    /// The members in the order Redis would list them: an intset keeps its integers sorted; a
    /// hashtable's order is its own (Redis's is seeded at random per process).
    /// </summary>
    public static IEnumerable<byte[]> Members(KeyState state)
    {
        var set = state.Set;
        if (set is null)
        {
            return [];
        }

        return state.SetIsHashtable ? set : set.OrderBy(Integer);
    }

    /// <summary>Members as Redis replies with a set: a RESP3 set, an array in RESP2.</summary>
    public static SetReply SetOf(IEnumerable<byte[]> members) => new(members.Select(m => (Reply)new BulkReply(m)).ToArray());

    private static long Integer(byte[] member) => RedisNumber.TryParseInt64(member, out long value) ? value : 0;

    private static bool IsOtherType(in KeyCommandContext ctx) =>
        ctx.State.Exists && ctx.State.Type != ValueType.Set;

    private static bool Contains(in KeyCommandContext ctx, byte[] member) => ctx.State.Set?.Contains(member) == true;

    private static Reply SAdd(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        int added = 0;
        var args = ctx.Args;
        for (int i = 1; i < args.Length; i++)
        {
            if (ctx.State.AddMember(args[i]))
            {
                added++;
            }
        }

        return Reply.Integer(added);
    }

    private static Reply SRem(in KeyCommandContext ctx)
    {
        if (!ctx.State.Exists)
        {
            return Reply.Integer(0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var state = ctx.State;
        int removed = ctx.Args.Skip(1).Count(state.RemoveMember);
        state.DeleteIfEmpty();
        return Reply.Integer(removed);
    }

    private static Reply SMIsMember(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var args = ctx.Args;
        var replies = new Reply[args.Length - 1];
        for (int i = 1; i < args.Length; i++)
        {
            replies[i - 1] = Reply.Integer(Contains(ctx, args[i]) ? 1 : 0);
        }

        return new ArrayReply(replies);
    }

    private static Reply SRandMember(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (args.Length > 2)
        {
            return Errors.Syntax;
        }

        if (args.Length == 1)
        {
            if (IsOtherType(ctx))
            {
                return Errors.WrongType;
            }

            return ctx.State.Set is { Count: > 0 } single ? new BulkReply(single.Random()) : Reply.NullBulk;
        }

        if (!RedisNumber.TryParseInt64(args[1], out long count))
        {
            return Errors.NotInteger;
        }

        if (count == long.MinValue)
        {
            return Errors.ValueOutOfRangeBetween(-long.MaxValue, long.MaxValue);
        }

        if (!ctx.State.Exists)
        {
            return Reply.EmptyArray;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var set = ctx.State.Set!;
        if (count == 0)
        {
            return Reply.EmptyArray;
        }

        // A positive count: distinct members (all of them in the set's own order, as Redis lists
        // them, when it asks for as many); negative: that many draws, repeats allowed.
        if (count >= set.Count)
        {
            return Reply.BulkArray(Members(ctx.State));
        }

        return count > 0
            ? Reply.BulkArray(Draw(set, (int)count))
            : Reply.BulkArray(Enumerable.Range(0, (int)Math.Min(-count, int.MaxValue)).Select(_ => set.Random()));
    }

    private static Reply SPop(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (args.Length > 2)
        {
            return Errors.Syntax;
        }

        var state = ctx.State;
        if (args.Length == 1)
        {
            if (!state.Exists)
            {
                return Reply.NullBulk;
            }

            if (IsOtherType(ctx))
            {
                return Errors.WrongType;
            }

            var member = state.Set!.Random();
            state.RemoveMember(member);
            state.DeleteIfEmpty();
            return new BulkReply(member);
        }

        // As Redis's getPositiveLongFromObjectOrReply: one message for not a number and negative.
        if (!RedisNumber.TryParseInt64(args[1], out long count) || count < 0)
        {
            return CountNotPositive;
        }

        if (!state.Exists)
        {
            return SetOf([]);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (count == 0)
        {
            return SetOf([]);
        }

        // Logged as the SREM of what was popped (or the key's DEL when all of it was), never as SPOP.
        // All of it comes in the set's own order, as Redis lists it; fewer are drawn at random.
        var popped = count >= state.Set!.Count
            ? Members(state).ToArray()
            : Draw(state.Set, (int)count);
        foreach (var member in popped)
        {
            state.RemoveMember(member);
        }

        state.DeleteIfEmpty();
        return SetOf(popped);
    }

    // Distinct members at random, fewer than the set has: by O(1) draws when they are few (as
    // Redis does), else by shuffling the whole set.
    private static byte[][] Draw(SetValue set, int count)
    {
        if ((long)count * 3 > set.Count)
        {
            return set.OrderBy(_ => Random.Shared.Next()).Take(count).ToArray();
        }

        var drawn = new HashSet<byte[]>(Abstractions.Keys.ByteArrayComparer.Instance);
        while (drawn.Count < count)
        {
            drawn.Add(set.Random());
        }

        return [.. drawn];
    }

    private static Reply SScan(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (ScanArguments.TryReadCursor(args, out ulong cursor) is { } badCursor)
        {
            return badCursor;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (ScanArguments.TryReadOptions(args, cursor, out var scan) is { } badOption)
        {
            return badOption;
        }

        var state = ctx.State;
        if (state.Set is not { } set)
        {
            return HashCommands.ScanReply(0, []);
        }

        IEnumerable<byte[]> page;
        ulong next = 0;
        if (!state.SetIsHashtable || set.Count <= SinglePageSetSize)
        {
            page = Members(state);
        }
        else
        {
            var members = new List<byte[]>();
            next = state.FieldsInScanOrder().Walk(cursor, scan.Count, members);
            page = members;
        }

        var items = page.Where(scan.Matches).Select(m => (Reply)new BulkReply(m)).ToArray();
        return HashCommands.ScanReply(next, items);
    }
}
