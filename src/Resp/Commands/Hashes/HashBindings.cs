using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Hashes;

/// <summary>The hash commands: each runs whole in the hash's key grain (see the Grains project's <c>Commands/Hashes</c>).</summary>
public static class HashBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("hset", CommandId.HSet, KeyRouting.ToKeyGrain),
        new("hsetnx", CommandId.HSetNx, KeyRouting.ToKeyGrain),
        new("hget", CommandId.HGet, KeyRouting.ToKeyGrain),
        new("hmget", CommandId.HMGet, KeyRouting.ToKeyGrain),
        new("hmset", CommandId.HMSet, KeyRouting.ToKeyGrain),
        new("hgetall", CommandId.HGetAll, KeyRouting.ToKeyGrain),
        new("hdel", CommandId.HDel, KeyRouting.ToKeyGrain),
        new("hexists", CommandId.HExists, KeyRouting.ToKeyGrain),
        new("hlen", CommandId.HLen, KeyRouting.ToKeyGrain),
        new("hkeys", CommandId.HKeys, KeyRouting.ToKeyGrain),
        new("hvals", CommandId.HVals, KeyRouting.ToKeyGrain),
        new("hincrby", CommandId.HIncrBy, KeyRouting.ToKeyGrain),
        new("hincrbyfloat", CommandId.HIncrByFloat, KeyRouting.ToKeyGrain),
        new("hstrlen", CommandId.HStrLen, KeyRouting.ToKeyGrain),
        new("hrandfield", CommandId.HRandField, KeyRouting.ToKeyGrain),
        new("hscan", CommandId.HScan, KeyRouting.ToKeyGrain),
    ];
}
