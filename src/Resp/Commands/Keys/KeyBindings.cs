using System.Text;
using System.Globalization;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Keys;

/// <summary>
/// The generic key commands. Per-key ones (TYPE, EXPIRE, TTL, …) run in the key's grain;
/// DEL, UNLINK, EXISTS and TOUCH fan out per key; KEYS, SCAN and RANDOMKEY ask every node;
/// RENAME, RENAMENX and MOVE move a whole value between two grains (not atomic, see
/// docs/compatibility.md).
/// </summary>
public static class KeyBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("del", CommandId.Del, EachKeySummed),
        new("unlink", CommandId.Unlink, EachKeySummed),
        new("exists", CommandId.Exists, EachKeySummed),
        new("touch", CommandId.Touch, EachKeySummed),
        KeyRouting.Bind("type", CommandId.Type),
        KeyRouting.Bind("expire", CommandId.Expire),
        KeyRouting.Bind("pexpire", CommandId.PExpire),
        KeyRouting.Bind("expireat", CommandId.ExpireAt),
        KeyRouting.Bind("pexpireat", CommandId.PExpireAt),
        KeyRouting.Bind("ttl", CommandId.Ttl),
        KeyRouting.Bind("pttl", CommandId.PTtl),
        KeyRouting.Bind("expiretime", CommandId.ExpireTime),
        KeyRouting.Bind("pexpiretime", CommandId.PExpireTime),
        KeyRouting.Bind("persist", CommandId.Persist),
        KeyRouting.Bind("object|encoding", CommandId.ObjectEncoding),
        KeyRouting.Bind("object|idletime", CommandId.ObjectIdleTime),
        KeyRouting.Bind("object|freq", CommandId.ObjectFreq),
        KeyRouting.Bind("memory|usage", CommandId.MemoryUsage),
        new("keys", CommandId.Keys, Keys),
        new("scan", CommandId.Scan, Scan),
        new("randomkey", CommandId.RandomKey, RandomKey),
        new("rename", CommandId.Rename, ctx => Rename(ctx, onlyIfNew: false)),
        new("renamenx", CommandId.RenameNx, ctx => Rename(ctx, onlyIfNew: true)),
        new("move", CommandId.Move, Move),
        new("copy", CommandId.Copy, Copy),
    ];

    private static async ValueTask<Reply> EachKeySummed(CommandContext ctx) =>
        KeyRouting.SumIntegers(await KeyRouting.OnEachKey(ctx, ctx.Spec.Id, ctx.Args.ToArrays(1)));

    // Keys one node walks per call of a KEYS or SCAN (a larger COUNT is cut to it).
    private const int KeysPerPage = 10_000;

    private static async ValueTask<Reply> Keys(CommandContext ctx)
    {
        byte[] pattern = ctx.Args.ToArray(1);
        int db = ctx.Client.Db;

        // Page after page on each node, so no single call holds a node however many keys it has.
        var perNode = await ctx.Server.Nodes.AskEveryNode(async node =>
        {
            var keys = new List<byte[]>();
            ulong cursor = 0;
            do
            {
                var page = await node.Scan(db, cursor, KeysPerPage, pattern, type: null);
                keys.AddRange(page.Keys);
                cursor = page.NextCursor;
            }
            while (cursor != 0);
            return keys;
        });
        return Reply.BulkArray(perNode.SelectMany(keys => keys));
    }

    private static async ValueTask<Reply> Scan(CommandContext ctx)
    {
        if (!ctx.Args.TryGetUInt64(1, out ulong cursor))
        {
            return Errors.InvalidCursor;
        }

        byte[]? pattern = null;
        string? type = null;
        long count = 10;
        for (int i = 2; i < ctx.Args.Count; i++)
        {
            bool hasValue = i + 1 < ctx.Args.Count;
            if (hasValue && ctx.Args.Is(i, "COUNT"u8))
            {
                if (!ctx.Args.TryGetInt64(++i, out long parsed))
                {
                    return Errors.NotInteger;
                }

                if (parsed < 1)
                {
                    return Errors.Syntax;
                }

                count = parsed;
            }
            else if (hasValue && ctx.Args.Is(i, "MATCH"u8))
            {
                pattern = ctx.Args.ToArray(++i);
            }
            else if (hasValue && ctx.Args.Is(i, "TYPE"u8))
            {
                type = ctx.Args.GetString(++i);
            }
            else
            {
                return Errors.Syntax;
            }
        }

        int db = ctx.Client.Db;
        int pageSize = (int)Math.Min(count, KeysPerPage);
        var pages = await ctx.Server.Nodes.AskEveryNode(node => node.Scan(db, cursor, pageSize, pattern, type));

        // Every node looked at its keys from the cursor up to its page's end; all of them did up
        // to the nearest end, which is where the next call resumes (keys beyond it come again then).
        ulong next = pages.Where(p => p.NextCursor != 0).Select(p => p.NextCursor).DefaultIfEmpty(0UL).Min();
        var page = pages.SelectMany(p => p.Keys).Where(key => next == 0 || ScanOrder.Position(key) < next);
        return new ArrayReply([Reply.Bulk(next.ToString(CultureInfo.InvariantCulture)), Reply.BulkArray(page)]);
    }

    private static async ValueTask<Reply> RandomKey(CommandContext ctx)
    {
        int db = ctx.Client.Db;
        var candidates = (await ctx.Server.Nodes.AskEveryNode(node => node.RandomKey(db))).OfType<byte[]>().ToList();
        return candidates.Count == 0 ? Reply.NullBulk : new BulkReply(candidates[Random.Shared.Next(candidates.Count)]);
    }

    private static async ValueTask<Reply> Rename(CommandContext ctx, bool onlyIfNew)
    {
        byte[] source = ctx.Args.ToArray(1), destination = ctx.Args.ToArray(2);
        KeyRouting.RefuseIfAnyUnserved(ctx, [source, destination]);
        var sourceGrain = ctx.Grains.GetKeyGrain(ctx.Client.Db, source);
        if (source.AsSpan().SequenceEqual(destination))
        {
            var exists = await sourceGrain.Execute(new KeyCommand(CommandId.Exists, [source]));
            return exists is IntegerReply { Value: 1 } ? (onlyIfNew ? Reply.Integer(0) : Reply.Ok) : Errors.NoSuchKey;
        }

        var outcome = await MoveValue((sourceGrain, source), (ctx.Grains.GetKeyGrain(ctx.Client.Db, destination), destination), replace: !onlyIfNew);
        if (outcome == MoveOutcome.Moved)
        {
            await Notify(ctx, [(ctx.Client.Db, source, "rename_from"), (ctx.Client.Db, destination, "rename_to")]);
        }

        return outcome switch
        {
            MoveOutcome.NoSource => Errors.NoSuchKey,
            MoveOutcome.DestinationExists => Reply.Integer(0),
            _ => onlyIfNew ? Reply.Integer(1) : Reply.Ok,
        };
    }

    // COPY source destination [DB n] [REPLACE]: the source's value and expiry, exported without
    // removing it, imported by the destination's grain (which refuses it if the key exists and
    // REPLACE was not given), as Redis's copyCommand checks and answers.
    private static async ValueTask<Reply> Copy(CommandContext ctx)
    {
        int targetDb = ctx.Client.Db;
        bool replace = false;
        for (int j = 3; j < ctx.Args.Count; j++)
        {
            if (ctx.Args.Is(j, "REPLACE"u8))
            {
                replace = true;
            }
            else if (ctx.Args.Is(j, "DB"u8) && j + 1 < ctx.Args.Count)
            {
                if (!ctx.Args.TryGetInt64(++j, out long db) || db is > int.MaxValue or < int.MinValue)
                {
                    return Errors.NotInteger;
                }

                if (db < 0 || db >= ctx.Server.Config.Databases)
                {
                    return Errors.DbIndexOutOfRange;
                }

                targetDb = (int)db;
            }
            else
            {
                return Errors.Syntax;
            }
        }

        byte[] source = ctx.Args.ToArray(1), destination = ctx.Args.ToArray(2);
        if (targetDb == ctx.Client.Db && source.AsSpan().SequenceEqual(destination))
        {
            return Errors.SameObject;
        }

        KeyRouting.RefuseIfAnyUnserved(ctx, [source, destination]);
        var snapshot = await ctx.Grains.GetKeyGrain(ctx.Client.Db, source).Export(remove: false);
        if (snapshot is null || !await ctx.Grains.GetKeyGrain(targetDb, destination).Import(snapshot, replace))
        {
            return Reply.Integer(0);
        }

        await Notify(ctx, [(targetDb, destination, "copy_to")]);
        return Reply.Integer(1);
    }

    private static async ValueTask<Reply> Move(CommandContext ctx)
    {
        if (!ctx.Args.TryGetInt64(2, out long target) || target is > int.MaxValue or < int.MinValue)
        {
            return Errors.NotInteger;
        }

        if (target < 0 || target >= ctx.Server.Config.Databases)
        {
            return Errors.DbIndexOutOfRange;
        }

        if (target == ctx.Client.Db)
        {
            return Errors.SameObject;
        }

        byte[] key = ctx.Args.ToArray(1);
        KeyRouting.RefuseIfAnyUnserved(ctx, [key]);
        var outcome = await MoveValue((ctx.Grains.GetKeyGrain(ctx.Client.Db, key), key), (ctx.Grains.GetKeyGrain((int)target, key), key), replace: false);
        if (outcome == MoveOutcome.Moved)
        {
            await Notify(ctx, [(ctx.Client.Db, key, "move_from"), ((int)target, key, "move_to")]);
        }

        return Reply.Integer(outcome == MoveOutcome.Moved ? 1 : 0);
    }

    // The generic events of a command that spans two keys (RENAME, MOVE, COPY).
    private static Task Notify(CommandContext ctx, (int Db, byte[] Key, string Event)[] events) =>
        ResultStore.Notify(ctx, events.Select(e => (e.Db, e.Key, KeyspaceEventFlags.Generic, e.Event)).ToArray());

    private enum MoveOutcome
    {
        Moved,
        NoSource,
        DestinationExists,
    }

    // Takes the value out of the source and stores it in the destination; if the destination
    // turns out to exist (and may not be replaced), the value goes back to the source.
    private static async Task<MoveOutcome> MoveValue((IKeyGrain Grain, byte[] Key) source, (IKeyGrain Grain, byte[] Key) destination, bool replace)
    {
        if (!replace && await Exists(destination))
        {
            return await Exists(source) ? MoveOutcome.DestinationExists : MoveOutcome.NoSource;
        }

        var snapshot = await source.Grain.Export(remove: true);
        if (snapshot is null)
        {
            return MoveOutcome.NoSource;
        }

        bool stored;
        try
        {
            stored = await destination.Grain.Import(snapshot, replace);
        }
        catch (Exception)
        {
            // The destination's node failed (or went down since the check): the value goes back.
            await source.Grain.Import(snapshot, replace: true);
            throw;
        }

        if (!stored)
        {
            await source.Grain.Import(snapshot, replace: true);
            return MoveOutcome.DestinationExists;
        }

        return MoveOutcome.Moved;
    }

    private static async Task<bool> Exists((IKeyGrain Grain, byte[] Key) key) =>
        await key.Grain.Execute(new KeyCommand(CommandId.Exists, [key.Key])) is IntegerReply { Value: 1 };
}
