using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>
/// LMPOP and ZMPOP: <c>numkeys key… LEFT|RIGHT (MIN|MAX) [COUNT n]</c>, parsed as Redis's
/// lmpop/zmpopGenericCommand do, then the keys are asked in order, each with one atomic pop of
/// its own grain (LPOP/RPOP, ZPOPMIN/ZPOPMAX with the count), until one has elements: the reply
/// names that key. As in Redis, a key of another type before it is WRONGTYPE; keys after it are
/// not looked at. Across keys this is not atomic: a push to an earlier key meanwhile may be missed.
/// </summary>
public static class MultiPop
{
    private static readonly ErrorReply NumKeysNotPositive = new("ERR numkeys should be greater than 0");
    private static readonly ErrorReply CountNotPositive = new("ERR count should be greater than 0");

    /// <summary>
    /// Runs one LMPOP or ZMPOP: <paramref name="first"/> and <paramref name="second"/> are the two
    /// end words with the pop each means; <paramref name="shape"/> makes the popped elements' reply.
    /// </summary>
    public static async ValueTask<Reply> Run(CommandContext ctx, (string Word, CommandId Pop) first, (string Word, CommandId Pop) second, Func<byte[], Reply, Reply> shape)
    {
        if (Parse(ctx.Args, 1, first, second, out var keys, out var pop, out var countText) is { } error)
        {
            return error;
        }

        KeyRouting.RefuseIfAnyUnserved(ctx, keys);
        foreach (var key in keys)
        {
            var reply = await KeyRouting.Execute(ctx, new KeyCommand(pop, [key, countText]));
            if (reply is ErrorReply)
            {
                return reply;
            }

            if (reply is ArrayReply { Items.Length: > 0 } or PairsReply { FlatItems.Length: > 0 })
            {
                return new ArrayReply([new BulkReply(key), shape(key, reply)]);
            }
        }

        return Reply.NullArray;
    }

    /// <summary>
    /// Parses <c>numkeys key… end [COUNT n]</c> from argument <paramref name="at"/> on (1 for
    /// LMPOP and ZMPOP, 2 for BLMPOP and BZMPOP, after their timeout): the keys, the pop the end
    /// word means and its count argument; or Redis's error.
    /// </summary>
    public static ErrorReply? Parse(RequestArgs args, int at, (string Word, CommandId Pop) first, (string Word, CommandId Pop) second, out byte[][] keys, out CommandId pop, out byte[] countText)
    {
        (keys, pop, countText) = ([], CommandId.None, []);
        if (!args.TryGetInt64(at, out long numKeys) || numKeys < 1)
        {
            return NumKeysNotPositive;
        }

        long whereIndex = at + numKeys + 1;
        if (whereIndex >= args.Count)
        {
            return Errors.Syntax;
        }

        string where = args.GetString((int)whereIndex).ToUpperInvariant();
        if (where != first.Word && where != second.Word)
        {
            return Errors.Syntax;
        }

        pop = where == first.Word ? first.Pop : second.Pop;
        long count = -1;
        for (int j = (int)whereIndex + 1; j < args.Count; j++)
        {
            if (count == -1 && args.Is(j, "COUNT"u8) && j + 1 < args.Count)
            {
                if (!args.TryGetInt64(++j, out count) || count < 1)
                {
                    return CountNotPositive;
                }
            }
            else
            {
                return Errors.Syntax;
            }
        }

        countText = Abstractions.Text.RedisNumber.Format(count == -1 ? 1 : count);
        keys = Enumerable.Range(at + 1, (int)numKeys).Select(args.ToArray).ToArray();
        return null;
    }
}
