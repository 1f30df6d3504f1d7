using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.SortedSets;

/// <summary>The sorted set commands on one key: each runs whole in the sorted set's key grain (see the Grains project's <c>Commands/SortedSets</c>).</summary>
public static class SortedSetBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        KeyRouting.Bind("zadd", CommandId.ZAdd),
        KeyRouting.Bind("zincrby", CommandId.ZIncrBy),
        KeyRouting.Bind("zscore", CommandId.ZScore),
        KeyRouting.Bind("zmscore", CommandId.ZMScore),
        KeyRouting.Bind("zcard", CommandId.ZCard),
        KeyRouting.Bind("zrank", CommandId.ZRank),
        KeyRouting.Bind("zrevrank", CommandId.ZRevRank),
        KeyRouting.Bind("zcount", CommandId.ZCount),
        KeyRouting.Bind("zlexcount", CommandId.ZLexCount),
        KeyRouting.Bind("zrange", CommandId.ZRange),
        KeyRouting.Bind("zrevrange", CommandId.ZRevRange),
        KeyRouting.Bind("zrangebyscore", CommandId.ZRangeByScore),
        KeyRouting.Bind("zrevrangebyscore", CommandId.ZRevRangeByScore),
        KeyRouting.Bind("zrangebylex", CommandId.ZRangeByLex),
        KeyRouting.Bind("zrevrangebylex", CommandId.ZRevRangeByLex),
        KeyRouting.Bind("zrem", CommandId.ZRem),
        KeyRouting.Bind("zremrangebyrank", CommandId.ZRemRangeByRank),
        KeyRouting.Bind("zremrangebyscore", CommandId.ZRemRangeByScore),
        KeyRouting.Bind("zremrangebylex", CommandId.ZRemRangeByLex),
        KeyRouting.Bind("zpopmin", CommandId.ZPopMin),
        KeyRouting.Bind("zpopmax", CommandId.ZPopMax),
        new("bzpopmin", CommandId.BZPopMin, ctx => Blocking.BlockingPop.FromSortedSet(ctx, CommandId.ZPopMin)),
        new("bzpopmax", CommandId.BZPopMax, ctx => Blocking.BlockingPop.FromSortedSet(ctx, CommandId.ZPopMax)),
        KeyRouting.Bind("zrandmember", CommandId.ZRandMember),
        KeyRouting.Bind("zscan", CommandId.ZScan),
    ];
}
