using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Blocking;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Lists;

/// <summary>The list commands on one key: each runs whole in the list's key grain (see the Grains project's <c>Commands/Lists</c>).</summary>
public static class ListBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        KeyRouting.Bind("lpush", CommandId.LPush),
        KeyRouting.Bind("rpush", CommandId.RPush),
        KeyRouting.Bind("lpushx", CommandId.LPushX),
        KeyRouting.Bind("rpushx", CommandId.RPushX),
        KeyRouting.Bind("lpop", CommandId.LPop),
        KeyRouting.Bind("rpop", CommandId.RPop),
        KeyRouting.Bind("llen", CommandId.LLen),
        KeyRouting.Bind("lindex", CommandId.LIndex),
        KeyRouting.Bind("linsert", CommandId.LInsert),
        KeyRouting.Bind("lrange", CommandId.LRange),
        KeyRouting.Bind("lrem", CommandId.LRem),
        KeyRouting.Bind("lset", CommandId.LSet),
        KeyRouting.Bind("ltrim", CommandId.LTrim),
        KeyRouting.Bind("lpos", CommandId.LPos),
        new("lmove", CommandId.LMove, Moves.LMove),
        new("rpoplpush", CommandId.RPopLPush, Moves.RPopLPush),
        new("blpop", CommandId.BLPop, ctx => BlockingPop.FromList(ctx, CommandId.LPop)),
        new("brpop", CommandId.BRPop, ctx => BlockingPop.FromList(ctx, CommandId.RPop)),
        new("blmove", CommandId.BLMove, BlockingMove),
        new("brpoplpush", CommandId.BRPopLPush, ctx => BlockingPop.Move(ctx, CommandId.RPop, CommandId.LPush, timeoutAt: 3)),
        new("blmpop", CommandId.BLMPop, ctx => BlockingPop.Multi(ctx, ("LEFT", CommandId.LPop), ("RIGHT", CommandId.RPop), static (_, popped) => popped)),
        new("lmpop", CommandId.LMPop, ctx => MultiPop.Run(ctx, ("LEFT", CommandId.LPop), ("RIGHT", CommandId.RPop), static (_, popped) => popped)),
    ];

    // BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: the ends as LMOVE reads them.
    private static ValueTask<Reply> BlockingMove(CommandContext ctx)
    {
        var args = ctx.Args;
        bool? from = Moves.End(args, 3), to = Moves.End(args, 4);
        return from is null || to is null
            ? ValueTask.FromResult<Reply>(Errors.Syntax)
            : BlockingPop.Move(ctx, from.Value ? CommandId.LPop : CommandId.RPop, to.Value ? CommandId.LPush : CommandId.RPush, timeoutAt: 5);
    }
}
