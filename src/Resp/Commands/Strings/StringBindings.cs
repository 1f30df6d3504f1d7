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
        KeyRouting.Bind("get", CommandId.Get),
        KeyRouting.Bind("set", CommandId.Set),
        KeyRouting.Bind("getset", CommandId.GetSet),
        KeyRouting.Bind("getdel", CommandId.GetDel),
        KeyRouting.Bind("getex", CommandId.GetEx),
        KeyRouting.Bind("setnx", CommandId.SetNx),
        KeyRouting.Bind("setex", CommandId.SetEx),
        KeyRouting.Bind("psetex", CommandId.PSetEx),
        KeyRouting.Bind("append", CommandId.Append),
        KeyRouting.Bind("strlen", CommandId.StrLen),
        KeyRouting.Bind("getrange", CommandId.GetRange),
        KeyRouting.Bind("substr", CommandId.SubStr),
        KeyRouting.Bind("setrange", CommandId.SetRange),
        KeyRouting.Bind("incr", CommandId.Incr),
        KeyRouting.Bind("decr", CommandId.Decr),
        KeyRouting.Bind("incrby", CommandId.IncrBy),
        KeyRouting.Bind("decrby", CommandId.DecrBy),
        KeyRouting.Bind("incrbyfloat", CommandId.IncrByFloat),
        new("mset", CommandId.MSet, MSet),
        new("msetnx", CommandId.MSetNx, MSetNx),
        new("mget", CommandId.MGet, MGet),
        LcsBinding.Binding,
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

        KeyRouting.RefuseIfAnyUnserved(ctx, pairs.Values.Select(pair => pair.Key));
        return KeyRouting.InKeyOrder(ctx, pairs.Values.Select(pair => (Func<Task<Reply>>)(() =>
            KeyRouting.Execute(ctx, new KeyCommand(CommandId.Set, [pair.Key, pair.Value])))));
    }
}
