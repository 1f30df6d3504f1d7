using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Dispatch;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Resp.Commands.SortedSets;

/// <summary>
/// The sorted set commands over several keys: ZUNION, ZINTER, ZDIFF, their STORE forms,
/// ZINTERCARD and ZRANGESTORE. The inputs (sorted sets, or sets scored 1) are read at once from
/// their grains, which may be on several nodes, combined here as Redis's
/// zunionInterDiffGenericCommand does (WEIGHTS, AGGREGATE, NaN as 0), and a result to keep is
/// written whole to the destination's grain (not atomic across keys: docs/compatibility.md).
/// </summary>
public static class SortedSetAlgebraBindings
{
    private static readonly ErrorReply WeightNotFloat = new("ERR weight value is not a float");
    private static readonly ErrorReply LimitNegative = new("ERR LIMIT can't be negative");

    private enum Operation
    {
        Union,
        Inter,
        Diff,
    }

    private enum Aggregate
    {
        Sum,
        Min,
        Max,
    }

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("zunion", CommandId.ZUnion, ctx => Combine(ctx, Operation.Union, store: false)),
        new("zinter", CommandId.ZInter, ctx => Combine(ctx, Operation.Inter, store: false)),
        new("zdiff", CommandId.ZDiff, ctx => Combine(ctx, Operation.Diff, store: false)),
        new("zunionstore", CommandId.ZUnionStore, ctx => Combine(ctx, Operation.Union, store: true)),
        new("zinterstore", CommandId.ZInterStore, ctx => Combine(ctx, Operation.Inter, store: true)),
        new("zdiffstore", CommandId.ZDiffStore, ctx => Combine(ctx, Operation.Diff, store: true)),
        new("zintercard", CommandId.ZInterCard, ctx => Combine(ctx, Operation.Inter, store: false, cardinalityOnly: true)),
        new("zrangestore", CommandId.ZRangeStore, RangeStore),
        new("zmpop", CommandId.ZMPop, ctx => MultiPop.Run(ctx, ("MIN", CommandId.ZPopMin), ("MAX", CommandId.ZPopMax), NestedPairs)),
        new("bzmpop", CommandId.BZMPop, ctx => Blocking.BlockingPop.Multi(ctx, ("MIN", CommandId.ZPopMin), ("MAX", CommandId.ZPopMax), NestedPairs)),
    ];

    // ZMPOP answers each member with its score as a pair, in RESP2 too.
    private static Reply NestedPairs(byte[] key, Reply popped) =>
        new ArrayReply(Entries(popped).Select(pair => (Reply)new ArrayReply([new BulkReply(pair.Key), new DoubleReply(pair.Value)])).ToArray());

    private static async ValueTask<Reply> Combine(CommandContext ctx, Operation operation, bool store, bool cardinalityOnly = false)
    {
        var args = ctx.Args;
        int numKeysIndex = store ? 2 : 1;
        if (!args.TryGetInt64(numKeysIndex, out long numKeys))
        {
            return Errors.NotInteger;
        }

        if (numKeys < 1)
        {
            return new ErrorReply($"ERR at least 1 input key is needed for '{ctx.Name}' command");
        }

        if (numKeys > args.Count - numKeysIndex - 1)
        {
            return Errors.Syntax;
        }

        byte[]? destination = store ? args.ToArray(1) : null;
        var keys = Enumerable.Range(numKeysIndex + 1, (int)numKeys).Select(args.ToArray).ToArray();
        KeyRouting.RefuseIfAnyUnserved(ctx, destination is null ? keys : [destination, .. keys]);

        // As Redis: the inputs are looked up (WRONGTYPE) before the options are read.
        var replies = await KeyRouting.OnEachKey(ctx, CommandId.ZMembersWithScores, keys);
        if (replies.OfType<ErrorReply>().FirstOrDefault() is { } error)
        {
            return error;
        }

        var weights = Enumerable.Repeat(1.0, keys.Length).ToArray();
        var aggregate = Aggregate.Sum;
        bool withScores = false;
        long limit = 0;
        for (int j = numKeysIndex + 1 + (int)numKeys; j < args.Count; j++)
        {
            int remaining = args.Count - j;
            if (operation != Operation.Diff && !cardinalityOnly && remaining >= keys.Length + 1 && args.Is(j, "WEIGHTS"u8))
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    if (!RedisNumber.TryParseDouble(args.ToArray(++j), out weights[i]))
                    {
                        return WeightNotFloat;
                    }
                }
            }
            else if (operation != Operation.Diff && !cardinalityOnly && remaining >= 2 && args.Is(j, "AGGREGATE"u8))
            {
                j++;
                if (args.Is(j, "SUM"u8))
                {
                    aggregate = Aggregate.Sum;
                }
                else if (args.Is(j, "MIN"u8))
                {
                    aggregate = Aggregate.Min;
                }
                else if (args.Is(j, "MAX"u8))
                {
                    aggregate = Aggregate.Max;
                }
                else
                {
                    return Errors.Syntax;
                }
            }
            else if (!store && !cardinalityOnly && args.Is(j, "WITHSCORES"u8))
            {
                withScores = true;
            }
            else if (cardinalityOnly && remaining >= 2 && args.Is(j, "LIMIT"u8))
            {
                if (!args.TryGetInt64(++j, out limit) || limit < 0)
                {
                    return LimitNegative;
                }
            }
            else
            {
                return Errors.Syntax;
            }
        }

        var inputs = replies.Select(reply => Entries(reply).ToList()).ToList();
        var result = operation switch
        {
            Operation.Union => Union(inputs, weights, aggregate),
            Operation.Inter => Intersect(inputs, weights, aggregate, cardinalityOnly ? limit : 0),
            _ => Difference(inputs),
        };

        if (cardinalityOnly)
        {
            return Reply.Integer(result.Count);
        }

        var ordered = result.OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, ByteOrder.Instance).ToList();
        if (destination is null)
        {
            return withScores
                ? new PairsReply(ordered.SelectMany(pair => new Reply[] { new BulkReply(pair.Key), new DoubleReply(pair.Value) }).ToArray())
                : Reply.BulkArray(ordered.Select(pair => pair.Key));
        }

        return await Store(ctx, destination, ordered, ctx.Name);
    }

    // ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: the source's grain selects, the destination's keeps.
    private static async ValueTask<Reply> RangeStore(CommandContext ctx)
    {
        byte[] destination = ctx.Args.ToArray(1);
        byte[] source = ctx.Args.ToArray(2);
        KeyRouting.RefuseIfAnyUnserved(ctx, [destination, source]);
        var reply = await KeyRouting.Execute(ctx, new KeyCommand(CommandId.ZRangeForStore, [source, .. ctx.Args.ToArrays(3)]));
        if (reply is ErrorReply)
        {
            return reply;
        }

        return await Store(ctx, destination, Entries(reply).ToList(), "zrangestore");
    }

    private static async Task<Reply> Store(CommandContext ctx, byte[] destination, List<KeyValuePair<byte[], double>> entries, string eventName)
    {
        if (entries.Count == 0)
        {
            await ResultStore.Delete(ctx, destination);
            return Reply.Integer(0);
        }

        var value = new KeySnapshot(ValueType.SortedSet, null, null, 0)
        {
            SortedSetMembers = entries.Select(pair => pair.Key).ToArray(),
            SortedSetScores = entries.Select(pair => pair.Value).ToArray(),
        };
        await ResultStore.Replace(ctx, destination, value, KeyspaceEventFlags.SortedSet, eventName);
        return Reply.Integer(entries.Count);
    }

    // The member-score pairs of a grain's reply (ZMembersWithScores, ZRangeForStore).
    private static IEnumerable<KeyValuePair<byte[], double>> Entries(Reply reply)
    {
        var items = reply is PairsReply pairs ? pairs.FlatItems : [];
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            yield return KeyValuePair.Create(((BulkReply)items[i]).Value, ((DoubleReply)items[i + 1]).Value);
        }
    }

    // Redis's zunionInterAggregate: a sum that is NaN (inf + -inf) is 0; MIN and MAX keep the
    // current score against a NaN, as C's comparisons do.
    private static double Combine(double current, double value, Aggregate aggregate)
    {
        switch (aggregate)
        {
            case Aggregate.Sum:
                double sum = current + value;
                return double.IsNaN(sum) ? 0 : sum;
            case Aggregate.Min:
                return value < current ? value : current;
            default:
                return value > current ? value : current;
        }
    }

    // A weighted score; 0 × ±inf, which is NaN, counts 0.
    private static double Weighted(double weight, double score) => weight * score is var product && double.IsNaN(product) ? 0 : product;

    // As Redis: the inputs taken largest first, each member's scores aggregated in that order.
    private static Dictionary<byte[], double> Union(List<List<KeyValuePair<byte[], double>>> inputs, double[] weights, Aggregate aggregate)
    {
        var result = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        foreach (int i in Enumerable.Range(0, inputs.Count).OrderByDescending(i => inputs[i].Count))
        {
            foreach (var (member, score) in inputs[i])
            {
                double value = Weighted(weights[i], score);
                result[member] = result.TryGetValue(member, out double current) ? Combine(current, value, aggregate) : value;
            }
        }

        return result;
    }

    // As Redis: the smallest input walked, each member kept if every other input has it (up to limit, 0 for all).
    private static Dictionary<byte[], double> Intersect(List<List<KeyValuePair<byte[], double>>> inputs, double[] weights, Aggregate aggregate, long limit)
    {
        var result = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Count).ToArray();
        if (inputs[order[0]].Count == 0)
        {
            return result;
        }

        var lookups = inputs.Select(input => input.ToDictionary(pair => pair.Key, pair => pair.Value, ByteArrayComparer.Instance)).ToArray();
        foreach (var (member, score) in inputs[order[0]])
        {
            double value = Weighted(weights[order[0]], score);
            bool everywhere = true;
            foreach (int i in order.Skip(1))
            {
                if (!lookups[i].TryGetValue(member, out double other))
                {
                    everywhere = false;
                    break;
                }

                value = Combine(value, weights[i] * other, aggregate);
            }

            if (everywhere)
            {
                result[member] = value;
                if (limit > 0 && result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }

    // The first input's members that no other input has, with the first input's scores.
    private static Dictionary<byte[], double> Difference(List<List<KeyValuePair<byte[], double>>> inputs)
    {
        var others = inputs.Skip(1).SelectMany(input => input.Select(pair => pair.Key)).ToHashSet(ByteArrayComparer.Instance);
        return inputs[0].Where(pair => !others.Contains(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, ByteArrayComparer.Instance);
    }

    // Members of equal score in Redis's order: their bytes compared as unsigned, shorter first on a common prefix.
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
