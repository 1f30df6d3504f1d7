using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.Hashes;

/// <summary>The hash commands on one key: HSET, HGET, HINCRBY, HSCAN and the rest.</summary>
internal static class HashCommands
{
    // Redis answers HSCAN of a listpack hash in one page, and a hashtable page by COUNT (here one
    // of at most this many fields in one page too).
    private const int SinglePageHashSize = 128;

    public static Reply Execute(in KeyCommandContext ctx)
    {
        // These parse arguments before looking at the key, so their argument errors win over WRONGTYPE, as in Redis.
        switch (ctx.Command.Id)
        {
            case CommandId.HSet: return HSet(ctx, replyOk: false);
            case CommandId.HMSet: return HSet(ctx, replyOk: true);
            case CommandId.HIncrBy: return HIncrBy(ctx);
            case CommandId.HIncrByFloat: return HIncrByFloat(ctx);
            case CommandId.HRandField: return HRandField(ctx);
            case CommandId.HScan: return HScan(ctx);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        return ctx.Command.Id switch
        {
            CommandId.HSetNx => HSetNx(ctx),
            CommandId.HGet => Reply.Bulk(Field(ctx, ctx.Args[1])),
            CommandId.HMGet => HMGet(ctx),
            CommandId.HGetAll => new MapReply(Pairs(ctx).ToArray()),
            CommandId.HDel => HDel(ctx),
            CommandId.HExists => Reply.Integer(Field(ctx, ctx.Args[1]) is null ? 0 : 1),
            CommandId.HLen => Reply.Integer(ctx.State.Hash?.Count ?? 0),
            CommandId.HKeys => Reply.BulkArray(ctx.State.Hash?.Keys ?? Enumerable.Empty<byte[]>()),
            CommandId.HVals => Reply.BulkArray(ctx.State.Hash?.Values ?? Enumerable.Empty<byte[]>()),
            CommandId.HStrLen => Reply.Integer(Field(ctx, ctx.Args[1])?.Length ?? 0),
            _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a hash command"),
        };
    }

    private static bool IsOtherType(in KeyCommandContext ctx) =>
        ctx.State.Exists && ctx.State.Type != ValueType.Hash;

    private static byte[]? Field(in KeyCommandContext ctx, byte[] field) =>
        ctx.State.Hash is { } hash && hash.TryGetValue(field, out var value) ? value : null;

    private static IEnumerable<Reply> Pairs(KeyCommandContext ctx)
    {
        foreach (var (field, value) in ctx.State.Hash ?? [])
        {
            yield return new BulkReply(field);
            yield return new BulkReply(value);
        }
    }

    private static Reply HSet(in KeyCommandContext ctx, bool replyOk)
    {
        if (ctx.Args.Length % 2 == 0)
        {
            return Errors.WrongArgumentCount(ctx.Name);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        int added = 0;
        for (int i = 1; i < ctx.Args.Length; i += 2)
        {
            if (ctx.State.SetField(ctx.Args[i], ctx.Args[i + 1]))
            {
                added++;
            }
        }

        return replyOk ? Reply.Ok : Reply.Integer(added);
    }

    private static Reply HMGet(in KeyCommandContext ctx)
    {
        var fields = ctx.Args;
        var replies = new Reply[fields.Length - 1];
        for (int i = 1; i < fields.Length; i++)
        {
            replies[i - 1] = Reply.Bulk(Field(ctx, fields[i]));
        }

        return new ArrayReply(replies);
    }

    private static Reply HSetNx(in KeyCommandContext ctx)
    {
        if (Field(ctx, ctx.Args[1]) is not null)
        {
            return Reply.Integer(0);
        }

        ctx.State.SetField(ctx.Args[1], ctx.Args[2]);
        return Reply.Integer(1);
    }

    private static Reply HDel(in KeyCommandContext ctx)
    {
        var state = ctx.State;
        int removed = ctx.Args.Skip(1).Count(state.RemoveField);
        ctx.State.DeleteIfEmpty();
        return Reply.Integer(removed);
    }

    private static Reply HIncrBy(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseInt64(ctx.Args[2], out long increment))
        {
            return Errors.NotInteger;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        long current = 0;
        if (Field(ctx, ctx.Args[1]) is { } text && !RedisNumber.TryParseInt64(text, out current))
        {
            return Errors.HashValueNotInteger;
        }

        if (!RedisNumber.TryAdd(current, increment, out long result))
        {
            return Errors.IncrOverflow;
        }

        ctx.State.SetField(ctx.Args[1], RedisNumber.Format(result));
        return Reply.Integer(result);
    }

    private static Reply HIncrByFloat(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseDouble(ctx.Args[2], out double increment))
        {
            return Errors.NotFloat;
        }

        // Redis 7.0 refuses an infinite increment itself, before looking at the key.
        if (!double.IsFinite(increment))
        {
            return Errors.ValueNanOrInfinity;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        byte[] current = Field(ctx, ctx.Args[1]) ?? "0"u8.ToArray();
        if (!RedisNumber.TryParseDouble(current, out double currentValue))
        {
            return Errors.HashValueNotFloat;
        }

        byte[]? result = RedisNumber.AddFloats(current, ctx.Args[2], currentValue, increment);
        if (result is null)
        {
            return Errors.NanOrInfinity;
        }

        ctx.State.SetField(ctx.Args[1], result);
        return new BulkReply(result);
    }

    private static Reply HRandField(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (args.Length == 1)
        {
            if (IsOtherType(ctx))
            {
                return Errors.WrongType;
            }

            if (ctx.State.Hash is not { Count: > 0 } single)
            {
                return Reply.NullBulk;
            }

            return new BulkReply(single.Keys.ElementAt(Random.Shared.Next(single.Count)));
        }

        if (!RedisNumber.TryParseInt64(args[1], out long count))
        {
            return Errors.NotInteger;
        }

        if (count == long.MinValue)
        {
            return Errors.ValueOutOfRangeBetween(-long.MaxValue, long.MaxValue);
        }

        bool withValues = args.Length == 3 && Ascii.EqualsIgnoreCase(args[2], "WITHVALUES"u8);
        if (args.Length > 2 && !withValues)
        {
            return Errors.Syntax;
        }

        if (withValues && count < -long.MaxValue / 2)
        {
            return Errors.ValueOutOfRange;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (ctx.State.Hash is not { Count: > 0 } hash || count == 0)
        {
            return Reply.EmptyArray;
        }

        var entries = hash.ToArray();
        IEnumerable<KeyValuePair<byte[], byte[]>> chosen = count > 0
            ? entries.OrderBy(_ => Random.Shared.Next()).Take((int)Math.Min(count, entries.Length))
            : Enumerable.Range(0, (int)Math.Min(-count, int.MaxValue)).Select(_ => entries[Random.Shared.Next(entries.Length)]);
        if (!withValues)
        {
            return Reply.BulkArray(chosen.Select(e => e.Key));
        }

        return new PairsReply(chosen.SelectMany(e => new Reply[] { new BulkReply(e.Key), new BulkReply(e.Value) }).ToArray());
    }

    private static Reply HScan(in KeyCommandContext ctx)
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

        var hash = ctx.State.Hash;
        if (hash is null)
        {
            return ScanReply(0, []);
        }

        IEnumerable<KeyValuePair<byte[], byte[]>> page;
        ulong next = 0;
        if (!ctx.State.HashIsHashtable || hash.Count <= SinglePageHashSize)
        {
            page = hash;
        }
        else
        {
            var fields = new List<byte[]>();
            next = ctx.State.FieldsInScanOrder().Walk(cursor, scan.Count, fields);
            page = fields.Select(field => KeyValuePair.Create(field, hash[field]));
        }

        var items = page
            .Where(e => scan.Matches(e.Key))
            .SelectMany(e => new Reply[] { new BulkReply(e.Key), new BulkReply(e.Value) })
            .ToArray();
        return ScanReply(next, items);
    }

    /// <summary>The two-element reply of the SCAN family: the next cursor as a bulk string, then the items.</summary>
    public static ArrayReply ScanReply(ulong next, Reply[] items) =>
        new([Reply.Bulk(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), new ArrayReply(items)]);
}
