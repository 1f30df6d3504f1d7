using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Strings;

/// <summary>
/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the two strings are read at once
/// (they may live on different nodes) and compared here by Redis 7.0's dynamic programming,
/// with its table limit and the same walk back, so matches come in Redis's order.
/// </summary>
public static class LcsBinding
{
    private static readonly ErrorReply NotStrings = new("ERR The specified keys must contain string values");
    private static readonly ErrorReply LenAndIdx = new("ERR If you want both the length and indexes, please just use IDX.");
    private static readonly ErrorReply TableTooLarge = new("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");

    /// <summary>The binding.</summary>
    public static CommandBinding Binding => new("lcs", CommandId.Lcs, Lcs);

    private static async ValueTask<Reply> Lcs(CommandContext ctx)
    {
        var replies = await KeyRouting.OnEachKey(ctx, CommandId.Get, [ctx.Args.ToArray(1), ctx.Args.ToArray(2)]);
        if (replies.OfType<ErrorReply>().FirstOrDefault() is { } error)
        {
            return error.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) ? NotStrings : error;
        }

        byte[] a = replies[0] is BulkReply first ? first.Value : [];
        byte[] b = replies[1] is BulkReply second ? second.Value : [];
        bool getLength = false, getIndexes = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int i = 3; i < ctx.Args.Count; i++)
        {
            if (ctx.Args.Is(i, "IDX"u8))
            {
                getIndexes = true;
            }
            else if (ctx.Args.Is(i, "LEN"u8))
            {
                getLength = true;
            }
            else if (ctx.Args.Is(i, "WITHMATCHLEN"u8))
            {
                withMatchLength = true;
            }
            else if (ctx.Args.Is(i, "MINMATCHLEN"u8) && i + 1 < ctx.Args.Count)
            {
                if (!ctx.Args.TryGetInt64(++i, out minMatchLength))
                {
                    return Errors.NotInteger;
                }

                minMatchLength = Math.Max(0, minMatchLength);
            }
            else
            {
                return Errors.Syntax;
            }
        }

        if (getIndexes && getLength)
        {
            return LenAndIdx;
        }

        long cells = (a.Length + 1L) * (b.Length + 1L);
        if (cells * sizeof(uint) > ctx.Server.Config.ProtoMaxBulkLen)
        {
            return TableTooLarge;
        }

        int width = b.Length + 1;
        var table = new uint[cells];
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                table[(i * width) + j] = a[i - 1] == b[j - 1]
                    ? table[((i - 1) * width) + j - 1] + 1
                    : Math.Max(table[((i - 1) * width) + j], table[(i * width) + j - 1]);
            }
        }

        uint length = table[(a.Length * width) + b.Length];
        if (getLength)
        {
            return Reply.Integer(length);
        }

        // Walked back from the end as Redis does, emitting each run of matches as it closes.
        var common = new byte[length];
        var matches = new List<Reply>();
        int aStart = a.Length, aEnd = 0, bStart = 0, bEnd = 0;
        int x = a.Length, y = b.Length;
        uint position = length;
        while (x > 0 && y > 0)
        {
            bool emit = false;
            if (a[x - 1] == b[y - 1])
            {
                common[--position] = a[x - 1];
                if (aStart == a.Length)
                {
                    (aStart, aEnd, bStart, bEnd) = (x - 1, x - 1, y - 1, y - 1);
                }
                else if (aStart == x && bStart == y)
                {
                    aStart--;
                    bStart--;
                }
                else
                {
                    emit = true;
                }

                emit |= aStart == 0 || bStart == 0;
                x--;
                y--;
            }
            else
            {
                if (table[((x - 1) * width) + y] > table[(x * width) + y - 1])
                {
                    x--;
                }
                else
                {
                    y--;
                }

                emit = aStart != a.Length;
            }

            int matchLength = aEnd - aStart + 1;
            if (emit)
            {
                if (getIndexes && (minMatchLength == 0 || matchLength >= minMatchLength))
                {
                    Reply[] match = [new ArrayReply([Reply.Integer(aStart), Reply.Integer(aEnd)]), new ArrayReply([Reply.Integer(bStart), Reply.Integer(bEnd)])];
                    matches.Add(new ArrayReply(withMatchLength ? [.. match, Reply.Integer(matchLength)] : match));
                }

                aStart = a.Length;
            }
        }

        return getIndexes
            ? new MapReply([Reply.Bulk("matches"u8.ToArray()), new ArrayReply([.. matches]), Reply.Bulk("len"u8.ToArray()), Reply.Integer(length)])
            : new BulkReply(common);
    }
}
