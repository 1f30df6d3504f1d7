using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Strings;

/// <summary>
/// The string commands. Single-key ones run whole in the key's grain (see the Grains
/// project's <c>Commands/Strings</c>); MSET, MSETNX and MGET fan out one call per key and
/// are not atomic across keys (docs/compatibility.md).
/// </summary>
public static class StringBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("get", CommandId.Get, KeyRouting.ToKeyGrain),
        new("set", CommandId.Set, KeyRouting.ToKeyGrain),
        new("getset", CommandId.GetSet, KeyRouting.ToKeyGrain),
        new("getdel", CommandId.GetDel, KeyRouting.ToKeyGrain),
        new("getex", CommandId.GetEx, KeyRouting.ToKeyGrain),
        new("setnx", CommandId.SetNx, KeyRouting.ToKeyGrain),
        new("setex", CommandId.SetEx, KeyRouting.ToKeyGrain),
        new("psetex", CommandId.PSetEx, KeyRouting.ToKeyGrain),
        new("append", CommandId.Append, KeyRouting.ToKeyGrain),
        new("strlen", CommandId.StrLen, KeyRouting.ToKeyGrain),
        new("getrange", CommandId.GetRange, KeyRouting.ToKeyGrain),
        new("setrange", CommandId.SetRange, KeyRouting.ToKeyGrain),
        new("incr", CommandId.Incr, KeyRouting.ToKeyGrain),
        new("decr", CommandId.Decr, KeyRouting.ToKeyGrain),
        new("incrby", CommandId.IncrBy, KeyRouting.ToKeyGrain),
        new("decrby", CommandId.DecrBy, KeyRouting.ToKeyGrain),
        new("incrbyfloat", CommandId.IncrByFloat, KeyRouting.ToKeyGrain),
        new("mset", CommandId.MSet, MSet),
        new("msetnx", CommandId.MSetNx, MSetNx),
        new("mget", CommandId.MGet, MGet),
    ];

    private static async ValueTask<Reply> MGet(CommandContext ctx) =>
        new ArrayReply(await KeyRouting.OnEachKey(ctx, CommandId.GetOrNil, ctx.Args.ToArrays(1)));

    private static async ValueTask<Reply> MSet(CommandContext ctx)
    {
        if (ctx.Args.Count % 2 == 0)
        {
            return Errors.WrongArgumentCount(ctx.Name);
        }

        await SetAll(ctx);
        return Reply.Ok;
    }

    private static async ValueTask<Reply> MSetNx(CommandContext ctx)
    {
        if (ctx.Args.Count % 2 == 0)
        {
            return Errors.WrongArgumentCount(ctx.Name);
        }

        var keys = Enumerable.Range(0, (ctx.Args.Count - 1) / 2).Select(i => ctx.Args.ToArray(1 + (2 * i)));
        var exists = KeyRouting.SumIntegers(await KeyRouting.OnEachKey(ctx, CommandId.Exists, keys));
        if (exists is not IntegerReply { Value: 0 })
        {
            return exists is ErrorReply ? exists : Reply.Integer(0);
        }

        await SetAll(ctx);
        return Reply.Integer(1);
    }

    // One SET per distinct key, in parallel; a key named twice takes its last value, as it would in Redis.
    private static Task SetAll(CommandContext ctx)
    {
        var pairs = new Dictionary<string, (byte[] Key, byte[] Value)>();
        for (int i = 1; i + 1 < ctx.Args.Count; i += 2)
        {
            byte[] key = ctx.Args.ToArray(i);
            pairs[Convert.ToBase64String(key)] = (key, ctx.Args.ToArray(i + 1));
        }

        return Task.WhenAll(pairs.Values.Select(pair =>
            ctx.Grains.GetKeyGrain(ctx.Client.Db, pair.Key).Execute(new KeyCommand(CommandId.Set, [pair.Key, pair.Value])).AsTask()));
    }
}
