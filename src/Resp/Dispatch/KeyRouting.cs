using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>Sends commands to key grains: one call for a single-key command, one call per key for a command that names several.</summary>
public static class KeyRouting
{
    /// <summary>Binds a single-key command: the whole command is one call on the key's grain (see <see cref="Connection.PipelineBatch"/>).</summary>
    public static CommandBinding Bind(string name, CommandId id) => new(name, id, Handler: null);

    /// <summary>Runs <paramref name="id"/> on each of <paramref name="keys"/> in parallel, with <paramref name="extraArgs"/> after each key; replies in key order.</summary>
    public static Task<Reply[]> OnEachKey(CommandContext ctx, CommandId id, IEnumerable<byte[]> keys, params byte[][] extraArgs) =>
        Task.WhenAll(keys.Select(key =>
            ctx.Grains.GetKeyGrain(ctx.Client.Db, key).Execute(new KeyCommand(id, [key, .. extraArgs])).AsTask()));

    /// <summary>Sums the integer replies of a per-key fan-out (DEL, EXISTS, TOUCH), or returns its first error.</summary>
    public static Reply SumIntegers(Reply[] replies)
    {
        long total = 0;
        foreach (var reply in replies)
        {
            switch (reply)
            {
                case IntegerReply integer:
                    total += integer.Value;
                    break;
                default:
                    return reply;
            }
        }

        return Reply.Integer(total);
    }
}
