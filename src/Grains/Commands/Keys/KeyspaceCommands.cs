using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Grains.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.Keys;

/// <summary>
/// The generic key commands as they apply to one key: existence, type, expiry. Commands that
/// name several keys (DEL a b c) are split by the dispatcher into one of these per key.
/// </summary>
internal static class KeyspaceCommands
{
    public static Reply Execute(in KeyCommandContext ctx) => ctx.Command.Id switch
    {
        CommandId.Del or CommandId.Unlink => Delete(ctx),
        CommandId.SortElements => SortElements(ctx.State),
        CommandId.Exists or CommandId.Touch => Reply.Integer(ctx.State.Exists ? 1 : 0),
        CommandId.Type => new StatusReply(ctx.State.Type.Name()),
        CommandId.Expire => Expire(ctx, seconds: true, relative: true),
        CommandId.PExpire => Expire(ctx, seconds: false, relative: true),
        CommandId.ExpireAt => Expire(ctx, seconds: true, relative: false),
        CommandId.PExpireAt => Expire(ctx, seconds: false, relative: false),
        CommandId.Ttl => Ttl(ctx, remaining: true, seconds: true),
        CommandId.PTtl => Ttl(ctx, remaining: true, seconds: false),
        CommandId.ExpireTime => Ttl(ctx, remaining: false, seconds: true),
        CommandId.PExpireTime => Ttl(ctx, remaining: false, seconds: false),
        CommandId.Persist => Persist(ctx),
        CommandId.ObjectEncoding => ctx.State.Exists ? Reply.Bulk(EncodingName(ctx.State)) : Reply.NullBulk,
        CommandId.ObjectIdleTime => ctx.State.Exists ? Reply.Integer(Math.Max(0, ctx.NowMs - ctx.State.LastAccessMs) / 1000) : Reply.NullBulk,
        CommandId.ObjectFreq => !ctx.State.Exists ? Reply.NullBulk
            : ctx.Lfu ? Reply.Integer(Memory.Lfu.Decayed(ctx.State.Frequency, ctx.State.FrequencyMinute, ctx.NowMs / 60_000))
            : Errors.LfuNotSelected,
        CommandId.MemoryUsage => MemoryUsage(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a keyspace command"),
    };

    private static Reply Delete(in KeyCommandContext ctx)
    {
        bool existed = ctx.State.Exists;
        ctx.State.Clear();
        return Reply.Integer(existed ? 1 : 0);
    }

    [Flags]
    private enum Condition
    {
        None = 0,
        Nx = 1,
        Xx = 2,
        Gt = 4,
        Lt = 8,
    }

    private static Reply Expire(in KeyCommandContext ctx, bool seconds, bool relative)
    {
        var condition = Condition.None;
        for (int i = 2; i < ctx.Args.Length; i++)
        {
            var option = ctx.Args[i].AsSpan();
            var flag = Ascii.EqualsIgnoreCase(option, "NX"u8) ? Condition.Nx
                : Ascii.EqualsIgnoreCase(option, "XX"u8) ? Condition.Xx
                : Ascii.EqualsIgnoreCase(option, "GT"u8) ? Condition.Gt
                : Ascii.EqualsIgnoreCase(option, "LT"u8) ? Condition.Lt
                : Condition.None;
            if (flag == Condition.None)
            {
                return Errors.UnsupportedOption(System.Text.Encoding.UTF8.GetString(option));
            }

            condition |= flag;
        }

        if (condition.HasFlag(Condition.Nx) && condition != Condition.Nx)
        {
            return Errors.ExpireNxAndOthers;
        }

        if (condition.HasFlag(Condition.Gt) && condition.HasFlag(Condition.Lt))
        {
            return Errors.ExpireGtAndLt;
        }

        if (Expiry.ForExpire(ctx.Args[1], seconds, relative, ctx.NowMs, ctx.Name, out long at) is { } error)
        {
            return error;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.Integer(0);
        }

        // A key without an expiry counts as expiring never (infinitely late) for GT and LT.
        bool hasExpiry = state.ExpireAtMs != 0;
        if ((condition.HasFlag(Condition.Nx) && hasExpiry)
            || (condition.HasFlag(Condition.Xx) && !hasExpiry)
            || (condition.HasFlag(Condition.Gt) && (!hasExpiry || at <= state.ExpireAtMs))
            || (condition.HasFlag(Condition.Lt) && hasExpiry && at >= state.ExpireAtMs))
        {
            return Reply.Integer(0);
        }

        if (at <= ctx.NowMs)
        {
            state.Clear();
        }
        else
        {
            state.ExpireAtMs = at;
        }

        return Reply.Integer(1);
    }

    private static Reply Ttl(in KeyCommandContext ctx, bool remaining, bool seconds)
    {
        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.Integer(-2);
        }

        if (state.ExpireAtMs == 0)
        {
            return Reply.Integer(-1);
        }

        if (!remaining)
        {
            return Reply.Integer(seconds ? state.ExpireAtMs / 1000 : state.ExpireAtMs);
        }

        long ttl = Math.Max(0, state.ExpireAtMs - ctx.NowMs);
        return Reply.Integer(seconds ? (ttl + 500) / 1000 : ttl);
    }

    // What SORT sorts, with the key's type (which decides how BY nosort orders it), in one read:
    // a list in order, a set as SMEMBERS lists it, a sorted set by score; WRONGTYPE for a string or hash.
    private static Reply SortElements(KeyState state)
    {
        IEnumerable<byte[]>? elements = state.Type switch
        {
            ValueType.None => [],
            ValueType.List => state.List!.ToList(),
            ValueType.Set => Sets.SetCommands.Members(state),
            ValueType.SortedSet => state.SortedSet!.InOrder().Select(entry => entry.Member!),
            _ => null,
        };
        return elements is null ? Errors.WrongType : new ArrayReply([new StatusReply(state.Type.Name()), Reply.BulkArray(elements)]);
    }

    // Redis's names for how it would store the value: small integers as int, short strings
    // embedded, lists as a quicklist, and small hashes, sets of integers and sorted sets by the
    // node's encoding thresholds (EncodingSettings), sticky once converted.
    private static string EncodingName(KeyState state)
    {
        if (state.Type == ValueType.String)
        {
            var value = state.String!;
            if (state.StringOrigin == StringOrigin.InPlace)
            {
                return "raw";
            }

            return state.StringOrigin == StringOrigin.Whole && value.Length <= 20 && RedisNumber.TryParseInt64(value, out _) ? "int" : value.Length <= 44 ? "embstr" : "raw";
        }

        if (state.Type == ValueType.List)
        {
            return Lists.ListCommands.EncodingName;
        }

        if (state.Type == ValueType.Set)
        {
            return Sets.SetCommands.EncodingName(state);
        }

        if (state.Type == ValueType.SortedSet)
        {
            return SortedSets.SortedSetCommands.EncodingName(state);
        }

        return state.HashIsHashtable ? "hashtable" : "listpack";
    }

    // The estimate the node's used memory counts the key for (see MemoryEstimate).
    private static Reply MemoryUsage(in KeyCommandContext ctx)
    {
        if (ctx.Args.Length > 1 && !(ctx.Args.Length == 3 && Ascii.EqualsIgnoreCase(ctx.Args[1], "SAMPLES"u8) && RedisNumber.TryParseInt64(ctx.Args[2], out _)))
        {
            return Errors.Syntax;
        }

        var state = ctx.State;
        if (!state.Exists)
        {
            return Reply.NullBulk;
        }

        return Reply.Integer(Memory.MemoryEstimate.Of(ctx.Args[0].Length, state));
    }

    private static Reply Persist(in KeyCommandContext ctx)
    {
        if (!ctx.State.Exists || ctx.State.ExpireAtMs == 0)
        {
            return Reply.Integer(0);
        }

        ctx.State.ExpireAtMs = 0;
        return Reply.Integer(1);
    }
}
