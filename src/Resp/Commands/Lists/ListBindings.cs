using OrleansRedis.Abstractions.Commands;
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
        new("lmpop", CommandId.LMPop, ctx => MultiPop.Run(ctx, ("LEFT", CommandId.LPop), ("RIGHT", CommandId.RPop), static (_, popped) => popped)),
    ];
}
