using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Grains.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.Lists;

/// <summary>
/// The list commands on one key: LPUSH, LPOP, LRANGE, LINSERT and the rest, with Redis 7.0's
/// order of checks (t_list.c): where Redis parses a number before it looks the key up, so do
/// these, so the same error wins. Each change is reported to the key's state as the command
/// that makes it again, which is what the AOF logs.
/// </summary>
internal static class ListCommands
{
    private static readonly byte[] LPushName = "LPUSH"u8.ToArray();
    private static readonly byte[] RPushName = "RPUSH"u8.ToArray();
    private static readonly byte[] LPopName = "LPOP"u8.ToArray();
    private static readonly byte[] RPopName = "RPOP"u8.ToArray();
    private static readonly byte[] LInsertName = "LINSERT"u8.ToArray();
    private static readonly byte[] LRemName = "LREM"u8.ToArray();
    private static readonly byte[] LSetName = "LSET"u8.ToArray();
    private static readonly byte[] LTrimName = "LTRIM"u8.ToArray();

    private static readonly ErrorReply IndexOutOfRange = new("ERR index out of range");
    private static readonly ErrorReply CountNotPositive = new("ERR value is out of range, must be positive");
    private static readonly ErrorReply RankZero = new("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
    private static readonly ErrorReply LPosCountNegative = new("ERR COUNT can't be negative");
    private static readonly ErrorReply MaxLenNegative = new("ERR MAXLEN can't be negative");

    public static Reply Execute(in KeyCommandContext ctx) => ctx.Command.Id switch
    {
        CommandId.LPush => Push(ctx, head: true, onlyIfExists: false),
        CommandId.RPush => Push(ctx, head: false, onlyIfExists: false),
        CommandId.LPushX => Push(ctx, head: true, onlyIfExists: true),
        CommandId.RPushX => Push(ctx, head: false, onlyIfExists: true),
        CommandId.LPop => Pop(ctx, head: true),
        CommandId.RPop => Pop(ctx, head: false),
        CommandId.LLen => IsOtherType(ctx) ? Errors.WrongType : Reply.Integer(ctx.State.List?.Count ?? 0),
        CommandId.LIndex => LIndex(ctx),
        CommandId.LInsert => LInsert(ctx),
        CommandId.LRange => LRange(ctx),
        CommandId.LRem => LRem(ctx),
        CommandId.LSet => LSet(ctx),
        CommandId.LTrim => LTrim(ctx),
        CommandId.LPos => LPos(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a list command"),
    };

    private static bool IsOtherType(in KeyCommandContext ctx) =>
        ctx.State.Exists && ctx.State.Type != ValueType.List;

    private static Reply Push(in KeyCommandContext ctx, bool head, bool onlyIfExists)
    {
        var state = ctx.State;
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (onlyIfExists && !state.Exists)
        {
            return Reply.Integer(0);
        }

        var list = state.GetOrCreateList();
        var args = ctx.Args;
        for (int i = 1; i < args.Length; i++)
        {
            if (head)
            {
                list.PushHead(args[i]);
            }
            else
            {
                list.PushTail(args[i]);
            }
        }

        state.ListChanged([head ? LPushName : RPushName, .. args.AsSpan(1)]);
        return Reply.Integer(list.Count);
    }

    private static Reply Pop(in KeyCommandContext ctx, bool head)
    {
        var args = ctx.Args;
        if (args.Length > 2)
        {
            return Errors.WrongArgumentCount(ctx.Name);
        }

        bool hasCount = args.Length == 2;
        long count = 1;
        if (hasCount)
        {
            // As Redis's getPositiveLongFromObjectOrReply: one message for not a number and negative.
            if (!RedisNumber.TryParseInt64(args[1], out count) || count < 0)
            {
                return CountNotPositive;
            }
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return hasCount ? Reply.NullArray : Reply.NullBulk;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (hasCount && count == 0)
        {
            return Reply.EmptyArray;
        }

        var list = state.List!;
        int taken = (int)Math.Min(count, list.Count);
        var popped = new byte[taken][];
        for (int i = 0; i < taken; i++)
        {
            popped[i] = head ? list.PopHead() : list.PopTail();
        }

        state.ListChanged(head ? LPopName : RPopName, RedisNumber.Format(taken));
        state.DeleteIfEmpty();
        return hasCount ? Reply.BulkArray(popped) : new BulkReply(popped[0]);
    }

    private static Reply LIndex(in KeyCommandContext ctx)
    {
        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.NullBulk;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long index))
        {
            return Errors.NotInteger;
        }

        var list = state.List!;
        if (index < 0)
        {
            index += list.Count;
        }

        return index >= 0 && index < list.Count ? new BulkReply(list[(int)index]) : Reply.NullBulk;
    }

    private static Reply LInsert(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        bool after;
        if (Ascii.EqualsIgnoreCase(args[1], "AFTER"u8))
        {
            after = true;
        }
        else if (Ascii.EqualsIgnoreCase(args[1], "BEFORE"u8))
        {
            after = false;
        }
        else
        {
            return Errors.Syntax;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.Integer(0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var list = state.List!;
        int i = IndexesOf(list, args[2], fromTail: false).DefaultIfEmpty(-1).First();
        if (i < 0)
        {
            return Reply.Integer(-1);
        }

        list.Insert(after ? i + 1 : i, args[3]);
        state.ListChanged(LInsertName, after ? "AFTER"u8.ToArray() : "BEFORE"u8.ToArray(), args[2], args[3]);
        return Reply.Integer(list.Count);
    }

    private static Reply LRange(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long start) || !RedisNumber.TryParseInt64(ctx.Args[2], out long stop))
        {
            return Errors.NotInteger;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.EmptyArray;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var list = state.List!;
        return Clamp(list.Count, start, stop) is var (from, to) ? (Reply?)list.PackRange(from, to) ?? Reply.BulkArray(list.Range(from, to)) : Reply.EmptyArray;
    }

    // LRANGE's and LTRIM's range rules: negative counts from the end, clamped to the list; null when empty.
    private static (int From, int To)? Clamp(int length, long start, long stop)
    {
        if (start < 0)
        {
            start += length;
        }

        if (stop < 0)
        {
            stop += length;
        }

        if (start < 0)
        {
            start = 0;
        }

        if (start > stop || start >= length)
        {
            return null;
        }

        return ((int)start, (int)Math.Min(stop, length - 1));
    }

    private static Reply LRem(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long count))
        {
            return Errors.NotInteger;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.Integer(0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var list = state.List!;
        var element = ctx.Args[2];
        // Redis negates a negative count; the most negative stays negative and so never stops the removal.
        long limit = count is 0 or long.MinValue ? long.MaxValue : Math.Abs(count);
        var removed = IndexesOf(list, element, fromTail: count < 0).Take((int)Math.Min(limit, int.MaxValue)).ToList();
        removed.Sort();

        if (removed.Count > 0)
        {
            list.RemoveAt(removed);
            state.ListChanged(LRemName, ctx.Args[1], element);
            state.DeleteIfEmpty();
        }

        return Reply.Integer(removed.Count);
    }

    private static Reply LSet(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long index))
        {
            return Errors.NotInteger;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Errors.NoSuchKey;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var list = state.List!;
        long at = index < 0 ? index + list.Count : index;
        if (at < 0 || at >= list.Count)
        {
            return IndexOutOfRange;
        }

        list[(int)at] = ctx.Args[2];
        state.ListChanged(LSetName, RedisNumber.Format(at), ctx.Args[2]);
        return Reply.Ok;
    }

    private static Reply LTrim(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long start) || !RedisNumber.TryParseInt64(ctx.Args[2], out long stop))
        {
            return Errors.NotInteger;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.Ok;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var list = state.List!;
        int before = list.Count;
        if (Clamp(list.Count, start, stop) is var (from, to))
        {
            if (to - from + 1 < before)
            {
                list.Trim(from, to);
                state.ListChanged(LTrimName, RedisNumber.Format(from), RedisNumber.Format(to));
            }
        }
        else
        {
            list.Trim(0, -1);
        }

        state.DeleteIfEmpty();
        return Reply.Ok;
    }

    private static Reply LPos(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        long rank = 1, count = -1, maxLen = 0;
        for (int i = 2; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            if (Ascii.EqualsIgnoreCase(args[i], "RANK"u8) && hasValue)
            {
                if (!RedisNumber.TryParseInt64(args[++i], out rank))
                {
                    return Errors.NotInteger;
                }

                if (rank == 0)
                {
                    return RankZero;
                }
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "COUNT"u8) && hasValue)
            {
                // As Redis's getPositiveLongFromObjectOrReply: one message for not a number and negative.
                if (!RedisNumber.TryParseInt64(args[++i], out count) || count < 0)
                {
                    return LPosCountNegative;
                }
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "MAXLEN"u8) && hasValue)
            {
                if (!RedisNumber.TryParseInt64(args[++i], out maxLen) || maxLen < 0)
                {
                    return MaxLenNegative;
                }
            }
            else
            {
                return Errors.Syntax;
            }
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return count == -1 ? Reply.NullBulk : Reply.EmptyArray;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        // As Redis: RANK skips that many matches (from the tail when negative), COUNT 0 means all
        // matches, MAXLEN 0 means the whole list.
        var list = state.List!;
        var element = args[1];
        long wanted = count == -1 ? 1 : count == 0 ? long.MaxValue : count;
        // Redis negates a negative RANK; the most negative stays negative and so skips nothing.
        long skip = rank == long.MinValue ? 0 : Math.Abs(rank) - 1;
        var found = new List<Reply>();
        long compared = 0;
        int step = 0;
        foreach (var candidate in list.Elements(fromTail: rank < 0))
        {
            if (found.Count >= wanted || (maxLen != 0 && compared >= maxLen))
            {
                break;
            }

            int i = rank > 0 ? step : list.Count - 1 - step;
            step++;
            compared++;
            if (candidate.Span.SequenceEqual(element))
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                found.Add(Reply.Integer(i));
            }
        }

        if (count == -1)
        {
            return found.Count == 0 ? Reply.NullBulk : found[0];
        }

        return new ArrayReply([.. found]);
    }

    // The indexes of the elements equal to `element`, head first or tail first.
    private static IEnumerable<int> IndexesOf(ListValue list, byte[] element, bool fromTail)
    {
        int step = 0;
        foreach (var candidate in list.Elements(fromTail))
        {
            if (candidate.Span.SequenceEqual(element))
            {
                yield return fromTail ? list.Count - 1 - step : step;
            }

            step++;
        }
    }

    /// <summary>The name Redis 7.0 gives a list's encoding (OBJECT ENCODING): every list is a quicklist.</summary>
    public static string EncodingName => "quicklist";
}
