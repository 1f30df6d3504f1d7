using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Hashes;

/// <summary>The hash commands: each runs whole in the hash's key grain (see the Grains project's <c>Commands/Hashes</c>).</summary>
public static class HashBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        KeyRouting.Bind("hset", CommandId.HSet),
        KeyRouting.Bind("hsetnx", CommandId.HSetNx),
        KeyRouting.Bind("hget", CommandId.HGet),
        KeyRouting.Bind("hmget", CommandId.HMGet),
        KeyRouting.Bind("hmset", CommandId.HMSet),
        KeyRouting.Bind("hgetall", CommandId.HGetAll),
        KeyRouting.Bind("hdel", CommandId.HDel),
        KeyRouting.Bind("hexists", CommandId.HExists),
        KeyRouting.Bind("hlen", CommandId.HLen),
        KeyRouting.Bind("hkeys", CommandId.HKeys),
        KeyRouting.Bind("hvals", CommandId.HVals),
        KeyRouting.Bind("hincrby", CommandId.HIncrBy),
        KeyRouting.Bind("hincrbyfloat", CommandId.HIncrByFloat),
        KeyRouting.Bind("hstrlen", CommandId.HStrLen),
        KeyRouting.Bind("hrandfield", CommandId.HRandField),
        KeyRouting.Bind("hscan", CommandId.HScan),
    ];
}
