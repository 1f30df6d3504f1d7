using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Grains.Commands.Keys;
using OrleansRedis.Grains.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.Strings;

/// <summary>The string commands on one key: SET, GET, APPEND, INCR and the rest.</summary>
internal static class StringCommands
{
    /// <summary>The names of the commands a string's in-place changes are recorded as.</summary>
    public static class Names
    {
        /// <summary>APPEND.</summary>
        public static readonly byte[] Append = "APPEND"u8.ToArray();

        /// <summary>SETRANGE.</summary>
        public static readonly byte[] SetRange = "SETRANGE"u8.ToArray();
    }

    /// <summary>Largest string Redis lets a command build (proto-max-bulk-len's default).</summary>
    public const long MaxStringLength = 512L * 1024 * 1024;

    public static Reply Execute(in KeyCommandContext ctx) => ctx.Command.Id switch
    {
        CommandId.Get => Get(ctx, wrongTypeAsNil: false),
        CommandId.GetOrNil => Get(ctx, wrongTypeAsNil: true),
        CommandId.Set => Set(ctx),
        CommandId.SetNx => SetNx(ctx),
        CommandId.SetEx => SetWithExpiry(ctx, seconds: true),
        CommandId.PSetEx => SetWithExpiry(ctx, seconds: false),
        CommandId.GetSet => GetSet(ctx),
        CommandId.GetDel => GetDel(ctx),
        CommandId.GetEx => GetEx(ctx),
        CommandId.Append => Append(ctx),
        CommandId.StrLen => StrLen(ctx),
        CommandId.GetRange or CommandId.SubStr => GetRange(ctx),
        CommandId.SetRange => SetRange(ctx),
        CommandId.Incr => IncrBy(ctx, 1),
        CommandId.Decr => IncrBy(ctx, -1),
        CommandId.IncrBy => IncrByArgument(ctx, negate: false),
        CommandId.DecrBy => IncrByArgument(ctx, negate: true),
        CommandId.IncrByFloat => IncrByFloat(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a string command"),
    };

    private static bool IsOtherType(in KeyCommandContext ctx) =>
        ctx.State.Exists && ctx.State.Type != ValueType.String;

    private static Reply Get(in KeyCommandContext ctx, bool wrongTypeAsNil)
    {
        if (IsOtherType(ctx))
        {
            return wrongTypeAsNil ? Reply.NullBulk : Errors.WrongType;
        }

        return Reply.Bulk(ctx.State.String);
    }

    private static Reply Set(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        bool nx = false, xx = false, get = false, keepTtl = false;
        int expiryArg = -1;
        bool seconds = false, relative = false;
        for (int i = 2; i < args.Length; i++)
        {
            var option = args[i].AsSpan();
            bool hasNext = i + 1 < args.Length;
            bool hasExpiry = expiryArg >= 0;
            if (Ascii.EqualsIgnoreCase(option, "NX"u8) && !xx)
            {
                nx = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "XX"u8) && !nx)
            {
                xx = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "GET"u8))
            {
                get = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "KEEPTTL"u8) && !hasExpiry)
            {
                keepTtl = true;
            }
            else if (!keepTtl && hasNext && TryExpiryOption(option, ref expiryArg, i, ref seconds, ref relative))
            {
                i++;
            }
            else
            {
                return Errors.Syntax;
            }
        }

        long expireAt = 0;
        if (expiryArg >= 0 && Expiry.ForSet(args[expiryArg], seconds, relative, ctx.NowMs, "set", out expireAt) is { } error)
        {
            return error;
        }

        Reply reply = Reply.Ok;
        if (get)
        {
            if (IsOtherType(ctx))
            {
                return Errors.WrongType;
            }

            reply = Reply.Bulk(ctx.State.String);
        }

        bool found = ctx.State.Exists;
        if ((nx && found) || (xx && !found))
        {
            return get ? reply : Reply.NullBulk;
        }

        long keptExpiry = keepTtl ? ctx.State.ExpireAtMs : 0;
        ctx.State.SetString(args[1]);
        ctx.State.ExpireAtMs = expiryArg >= 0 ? expireAt : keptExpiry;
        return reply;
    }

    // EX/PX/EXAT/PXAT: only one kind per command, though the same kind may repeat (last wins), as in Redis.
    private static bool TryExpiryOption(ReadOnlySpan<byte> option, ref int expiryArg, int index, ref bool seconds, ref bool relative)
    {
        bool ex = Ascii.EqualsIgnoreCase(option, "EX"u8), px = Ascii.EqualsIgnoreCase(option, "PX"u8);
        bool exat = Ascii.EqualsIgnoreCase(option, "EXAT"u8), pxat = Ascii.EqualsIgnoreCase(option, "PXAT"u8);
        if (!(ex || px || exat || pxat))
        {
            return false;
        }

        bool newSeconds = ex || exat, newRelative = ex || px;
        if (expiryArg >= 0 && (newSeconds != seconds || newRelative != relative))
        {
            return false;
        }

        seconds = newSeconds;
        relative = newRelative;
        expiryArg = index + 1;
        return true;
    }

    private static Reply SetNx(in KeyCommandContext ctx)
    {
        if (ctx.State.Exists)
        {
            return Reply.Integer(0);
        }

        ctx.State.SetString(ctx.Args[1]);
        ctx.State.ExpireAtMs = 0;
        return Reply.Integer(1);
    }

    private static Reply SetWithExpiry(in KeyCommandContext ctx, bool seconds)
    {
        if (Expiry.ForSet(ctx.Args[1], seconds, relative: true, ctx.NowMs, ctx.Name, out long expireAt) is { } error)
        {
            return error;
        }

        ctx.State.SetString(ctx.Args[2]);
        ctx.State.ExpireAtMs = expireAt;
        return Reply.Ok;
    }

    private static Reply GetSet(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var old = Reply.Bulk(ctx.State.String);
        ctx.State.SetString(ctx.Args[1]);
        ctx.State.ExpireAtMs = 0;
        return old;
    }

    private static Reply GetDel(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var old = Reply.Bulk(ctx.State.String);
        ctx.State.Clear();
        return old;
    }

    private static Reply GetEx(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        bool persist = false, seconds = false, relative = false;
        int expiryArg = -1;
        for (int i = 1; i < args.Length; i++)
        {
            var option = args[i].AsSpan();
            if (Ascii.EqualsIgnoreCase(option, "PERSIST"u8) && expiryArg < 0)
            {
                persist = true;
            }
            else if (!persist && i + 1 < args.Length && TryExpiryOption(option, ref expiryArg, i, ref seconds, ref relative))
            {
                i++;
            }
            else
            {
                return Errors.Syntax;
            }
        }

        long expireAt = 0;
        if (expiryArg >= 0 && Expiry.ForSet(args[expiryArg], seconds, relative, ctx.NowMs, "getex", out expireAt) is { } error)
        {
            return error;
        }

        if (!ctx.State.Exists)
        {
            return Reply.NullBulk;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var value = Reply.Bulk(ctx.State.String);
        if (expiryArg >= 0)
        {
            ctx.State.ExpireAtMs = expireAt;
            if (ctx.State.IsExpired(ctx.NowMs))
            {
                ctx.State.Clear();
            }
        }
        else if (persist)
        {
            ctx.State.ExpireAtMs = 0;
        }

        return value;
    }

    private static Reply Append(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] current = ctx.State.String ?? [];
        byte[] suffix = ctx.Args[1];
        if ((long)current.Length + suffix.Length > MaxStringLength)
        {
            return Errors.StringTooLong;
        }

        // Redis appends to a new key's value as it came (int or embstr), to an existing one in place (raw).
        byte[] appended = [.. current, .. suffix];
        if (ctx.State.Exists)
        {
            ctx.State.PatchString(appended, [Names.Append, suffix]);
        }
        else
        {
            ctx.State.SetString(appended, StringOrigin.Whole);
        }

        return Reply.Integer(current.Length + suffix.Length);
    }

    private static Reply StrLen(in KeyCommandContext ctx) =>
        IsOtherType(ctx) ? Errors.WrongType : Reply.Integer(ctx.State.String?.Length ?? 0);

    private static Reply GetRange(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long start) || !RedisNumber.TryParseInt64(ctx.Args[2], out long end))
        {
            return Errors.NotInteger;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] value = ctx.State.String ?? [];
        long length = value.Length;
        if (start < 0 && end < 0 && start > end)
        {
            return new BulkReply([]);
        }

        if (start < 0)
        {
            start = Math.Max(0, length + start);
        }

        if (end < 0)
        {
            end = Math.Max(0, length + end);
        }

        if (end >= length)
        {
            end = length - 1;
        }

        if (length == 0 || start > end)
        {
            return new BulkReply([]);
        }

        return new BulkReply(value.AsSpan((int)start, (int)(end - start + 1)).ToArray());
    }

    private static Reply SetRange(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long offset))
        {
            return Errors.NotInteger;
        }

        if (offset < 0)
        {
            return Errors.OffsetOutOfRange;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] patch = ctx.Args[2];
        byte[] current = ctx.State.String ?? [];
        if (patch.Length == 0)
        {
            return Reply.Integer(current.Length);
        }

        // Written so that a huge offset cannot overflow (SETRANGE k 9223372036854775807 x).
        if (offset > MaxStringLength - patch.Length)
        {
            return Errors.StringTooLong;
        }

        var updated = new byte[Math.Max(current.Length, offset + patch.Length)];
        current.CopyTo(updated, 0);
        patch.CopyTo(updated, offset);
        ctx.State.PatchString(updated, [Names.SetRange, RedisNumber.Format(offset), patch]);
        return Reply.Integer(updated.Length);
    }

    private static Reply IncrByArgument(in KeyCommandContext ctx, bool negate)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[1], out long increment))
        {
            return Errors.NotInteger;
        }

        if (negate)
        {
            if (increment == long.MinValue)
            {
                return Errors.DecrementOverflow;
            }

            increment = -increment;
        }

        return IncrBy(ctx, increment);
    }

    private static Reply IncrBy(in KeyCommandContext ctx, long increment)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        long current = 0;
        if (ctx.State.String is { } text && !RedisNumber.TryParseInt64(text, out current))
        {
            return Errors.NotInteger;
        }

        if (!RedisNumber.TryAdd(current, increment, out long result))
        {
            return Errors.IncrOverflow;
        }

        ctx.State.SetString(RedisNumber.Format(result));
        return Reply.Integer(result);
    }

    private static Reply IncrByFloat(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] current = ctx.State.String ?? "0"u8.ToArray();
        if (!RedisNumber.TryParseDouble(current, out double currentValue)
            || !RedisNumber.TryParseDouble(ctx.Args[1], out double increment))
        {
            return Errors.NotFloat;
        }

        byte[]? result = RedisNumber.AddFloats(current, ctx.Args[1], currentValue, increment);
        if (result is null)
        {
            return Errors.NanOrInfinity;
        }

        ctx.State.SetString(result, StringOrigin.Float);
        return new BulkReply(result);
    }
}
