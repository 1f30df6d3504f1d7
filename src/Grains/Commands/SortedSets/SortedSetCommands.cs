using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Grains.Commands.Hashes;
using OrleansRedis.Grains.Keys;
using Entry = OrleansRedis.Grains.Keys.SortedSetValue.Entry;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Commands.SortedSets;

/// <summary>
/// The sorted set commands on one key: ZADD, ZINCRBY, ZRANGE in all its forms, ZPOPMIN and the
/// rest, with Redis 7.0's order of checks and replies (t_zset.c): scores as doubles (RESP3) or
/// their %.17g text (RESP2), WITHSCORES as pairs in RESP3.
/// </summary>
internal static class SortedSetCommands
{
    // Redis answers ZSCAN of a listpack sorted set in one page.
    private const int SinglePageSize = 128;

    private static readonly ErrorReply XxAndNx = new("ERR XX and NX options at the same time are not compatible");
    private static readonly ErrorReply GtLtNx = new("ERR GT, LT, and/or NX options at the same time are not compatible");
    private static readonly ErrorReply IncrSinglePair = new("ERR INCR option supports a single increment-element pair");
    private static readonly ErrorReply ScoreNaN = new("ERR resulting score is not a number (NaN)");
    private static readonly ErrorReply MinMaxNotFloat = new("ERR min or max is not a float");
    private static readonly ErrorReply MinMaxNotString = new("ERR min or max not valid string range item");
    private static readonly ErrorReply LimitNeedsRange = new("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    private static readonly ErrorReply WithScoresByLex = new("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    private static readonly ErrorReply CountNotPositive = new("ERR value is out of range, must be positive");

    private enum RangeKind
    {
        Auto,
        Rank,
        Score,
        Lex,
    }

    public static Reply Execute(in KeyCommandContext ctx) => ctx.Command.Id switch
    {
        CommandId.ZAdd => ZAdd(ctx),
        CommandId.ZIncrBy => ZIncrBy(ctx),
        CommandId.ZScore => IsOtherType(ctx) ? Errors.WrongType : Score(ctx, ctx.Args[1]),
        CommandId.ZMScore => ZMScore(ctx),
        CommandId.ZCard => IsOtherType(ctx) ? Errors.WrongType : Reply.Integer(ctx.State.SortedSet?.Count ?? 0),
        CommandId.ZRank => Rank(ctx, reverse: false),
        CommandId.ZRevRank => Rank(ctx, reverse: true),
        CommandId.ZCount => Count(ctx, lex: false),
        CommandId.ZLexCount => Count(ctx, lex: true),
        CommandId.ZRange => Range(ctx, RangeKind.Auto, reverse: null),
        CommandId.ZRevRange => Range(ctx, RangeKind.Rank, reverse: true),
        CommandId.ZRangeByScore => Range(ctx, RangeKind.Score, reverse: false),
        CommandId.ZRevRangeByScore => Range(ctx, RangeKind.Score, reverse: true),
        CommandId.ZRangeByLex => Range(ctx, RangeKind.Lex, reverse: false),
        CommandId.ZRevRangeByLex => Range(ctx, RangeKind.Lex, reverse: true),
        CommandId.ZRem => ZRem(ctx),
        CommandId.ZRemRangeByRank => RemoveRange(ctx, RangeKind.Rank),
        CommandId.ZRemRangeByScore => RemoveRange(ctx, RangeKind.Score),
        CommandId.ZRemRangeByLex => RemoveRange(ctx, RangeKind.Lex),
        CommandId.ZPopMin => Pop(ctx, max: false),
        CommandId.ZPopMax => Pop(ctx, max: true),
        CommandId.ZRandMember => ZRandMember(ctx),
        CommandId.ZScan => ZScan(ctx),
        CommandId.ZMembersWithScores => MembersWithScores(ctx),
        CommandId.ZRangeForStore => Range(ctx, RangeKind.Auto, reverse: null, store: true),
        _ => throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Command.Id, "not a sorted set command"),
    };

    /// <summary>The name Redis 7.0 gives the sorted set's encoding (OBJECT ENCODING).</summary>
    public static string EncodingName(KeyState state) => state.SortedSetIsSkiplist ? "skiplist" : "listpack";

    private static bool IsOtherType(in KeyCommandContext ctx) =>
        ctx.State.Exists && ctx.State.Type != ValueType.SortedSet;

    private static Reply Score(in KeyCommandContext ctx, byte[] member) =>
        ctx.State.SortedSet is { } zset && zset.TryGetScore(member, out double score) ? new DoubleReply(score) : Reply.NullBulk;

    private static Reply ZMScore(in KeyCommandContext ctx)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var replies = new Reply[ctx.Args.Length - 1];
        for (int i = 1; i < ctx.Args.Length; i++)
        {
            replies[i - 1] = Score(ctx, ctx.Args[i]);
        }

        return new ArrayReply(replies);
    }

    private static Reply ZAdd(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 1;
        for (; i < args.Length; i++)
        {
            var option = args[i];
            if (Ascii.EqualsIgnoreCase(option, "NX"u8))
            {
                nx = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "XX"u8))
            {
                xx = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "GT"u8))
            {
                gt = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "LT"u8))
            {
                lt = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "CH"u8))
            {
                ch = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "INCR"u8))
            {
                incr = true;
            }
            else
            {
                break;
            }
        }

        int pairs = args.Length - i;
        if (pairs == 0 || pairs % 2 != 0)
        {
            return Errors.Syntax;
        }

        if (nx && xx)
        {
            return XxAndNx;
        }

        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            return GtLtNx;
        }

        if (incr && pairs > 2)
        {
            return IncrSinglePair;
        }

        // Every score is parsed before anything changes, as Redis does.
        var scores = new double[pairs / 2];
        for (int p = 0; p < scores.Length; p++)
        {
            if (!RedisNumber.TryParseDouble(args[i + (2 * p)], out scores[p]))
            {
                return Errors.NotFloat;
            }
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var state = ctx.State;
        long added = 0, updated = 0;
        Reply? incrReply = null;
        for (int p = 0; p < scores.Length; p++)
        {
            byte[] member = args[i + (2 * p) + 1];
            double score = scores[p];
            double current = 0;
            bool exists = state.SortedSet?.TryGetScore(member, out current) == true;
            if ((nx && exists) || (xx && !exists))
            {
                incrReply = Reply.NullBulk;
                continue;
            }

            if (incr)
            {
                score = current + score;
                if (double.IsNaN(score))
                {
                    return ScoreNaN;
                }
            }

            if (exists && ((gt && score <= current) || (lt && score >= current)))
            {
                incrReply = Reply.NullBulk;
                continue;
            }

            incrReply = new DoubleReply(score == 0 ? 0 : score);
            if (!exists)
            {
                state.SetScore(member, score);
                added++;
            }
            else if (score != current)
            {
                state.SetScore(member, score);
                updated++;
            }
        }

        if (incr)
        {
            return incrReply!;
        }

        return Reply.Integer(ch ? added + updated : added);
    }

    private static Reply ZIncrBy(in KeyCommandContext ctx)
    {
        if (!RedisNumber.TryParseDouble(ctx.Args[1], out double increment))
        {
            return Errors.NotFloat;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var member = ctx.Args[2];
        double current = ctx.State.SortedSet is { } zset && zset.TryGetScore(member, out double c) ? c : 0;
        double score = current + increment;
        if (double.IsNaN(score))
        {
            return ScoreNaN;
        }

        ctx.State.SetScore(member, score);
        return new DoubleReply(score == 0 ? 0 : score);
    }

    private static Reply Rank(in KeyCommandContext ctx, bool reverse)
    {
        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        long rank = ctx.State.SortedSet?.RankOf(ctx.Args[1], reverse) ?? -1;
        return rank < 0 ? Reply.NullBulk : Reply.Integer(rank);
    }

    private static Reply Count(in KeyCommandContext ctx, bool lex)
    {
        if (TrySelect(lex ? RangeKind.Lex : RangeKind.Score, ctx.Args[1], ctx.Args[2], reverse: false, out var select) is { } error)
        {
            return error;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (ctx.State.SortedSet is not { } zset)
        {
            return Reply.Integer(0);
        }

        // O(log n), by the ranks of the range's ends, as Redis counts.
        if (lex)
        {
            LexRange.TryParse(ctx.Args[1], ctx.Args[2], out var members);
            return Reply.Integer(members.Empty ? 0 : zset.CountBetween(e => members.IsBeforeMin(e.Member!), e => members.IsAfterMax(e.Member!)));
        }

        ScoreRange.TryParse(ctx.Args[1], ctx.Args[2], out var scores);
        return Reply.Integer(zset.CountBetween(scores.IsBefore, scores.IsAfter));
    }

    // The members a range picks, in order, by rank (start, stop), score or lex (min, max), with
    // the error Redis gives when the range does not parse.
    private static ErrorReply? TrySelect(RangeKind kind, byte[] low, byte[] high, bool reverse, out Func<SortedSetValue, IEnumerable<Entry>> select)
    {
        select = _ => [];
        switch (kind)
        {
            case RangeKind.Rank:
                if (!RedisNumber.TryParseInt64(low, out long start) || !RedisNumber.TryParseInt64(high, out long stop))
                {
                    return Errors.NotInteger;
                }

                select = zset => ByRank(zset, start, stop, reverse);
                return null;
            case RangeKind.Score:
                if (!ScoreRange.TryParse(low, high, out var scores))
                {
                    return MinMaxNotFloat;
                }

                select = zset => scores.Select(zset, reverse);
                return null;
            default:
                if (!LexRange.TryParse(low, high, out var lex))
                {
                    return MinMaxNotString;
                }

                select = zset => lex.Empty ? [] : zset.Between(e => lex.IsBeforeMin(e.Member!), e => lex.IsAfterMax(e.Member!), reverse);
                return null;
        }
    }

    // ZRANGE and its older forms, parsed as Redis's zrangeGenericCommand does.
    // With store (ZRANGESTORE's source), WITHSCORES is refused and the entries come with their scores.
    private static Reply Range(in KeyCommandContext ctx, RangeKind kind, bool? reverse, bool store = false)
    {
        var args = ctx.Args;
        bool withScores = false;
        long offset = 0, limit = -1;
        bool hasLimit = false;
        for (int i = 3; i < args.Length; i++)
        {
            int left = args.Length - i - 1;
            if (!store && Ascii.EqualsIgnoreCase(args[i], "WITHSCORES"u8))
            {
                withScores = true;
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "LIMIT"u8) && left >= 2)
            {
                if (!RedisNumber.TryParseInt64(args[i + 1], out offset) || !RedisNumber.TryParseInt64(args[i + 2], out limit))
                {
                    return Errors.NotInteger;
                }

                hasLimit = true;
                i += 2;
            }
            else if (reverse is null && Ascii.EqualsIgnoreCase(args[i], "REV"u8))
            {
                reverse = true;
            }
            else if (kind == RangeKind.Auto && Ascii.EqualsIgnoreCase(args[i], "BYLEX"u8))
            {
                kind = RangeKind.Lex;
            }
            else if (kind == RangeKind.Auto && Ascii.EqualsIgnoreCase(args[i], "BYSCORE"u8))
            {
                kind = RangeKind.Score;
            }
            else
            {
                return Errors.Syntax;
            }
        }

        bool rev = reverse ?? false;
        if (kind == RangeKind.Auto)
        {
            kind = RangeKind.Rank;
        }

        if (hasLimit && kind == RangeKind.Rank)
        {
            return LimitNeedsRange;
        }

        if (withScores && kind == RangeKind.Lex)
        {
            return WithScoresByLex;
        }

        // A reversed range by score or lex is given as max, min.
        byte[] low = args[1], high = args[2];
        if (rev && kind != RangeKind.Rank)
        {
            (low, high) = (high, low);
        }

        if (TrySelect(kind, low, high, rev, out var select) is { } error)
        {
            return error;
        }

        if (!ctx.State.Exists)
        {
            return Reply.EmptyArray;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var chosen = select(ctx.State.SortedSet!);
        if (hasLimit)
        {
            // As Redis: a negative offset gives nothing, a negative count everything after the offset.
            chosen = offset < 0 ? [] : chosen.Skip((int)Math.Min(offset, int.MaxValue));
            if (limit >= 0)
            {
                chosen = chosen.Take((int)Math.Min(limit, int.MaxValue));
            }
        }

        return Entries(chosen, withScores || store);
    }

    // A sorted set's entries, or a set's members scored 1 (Redis's ZUNION and ZINTER take both); WRONGTYPE for anything else.
    private static Reply MembersWithScores(in KeyCommandContext ctx)
    {
        var state = ctx.State;
        if (!state.Exists)
        {
            return Entries([], withScores: true);
        }

        return state.Type switch
        {
            ValueType.SortedSet => Entries(state.SortedSet!.InOrder(false), withScores: true),
            ValueType.Set => Entries(state.Set!.Select(member => new Entry(1, member)), withScores: true),
            _ => Errors.WrongType,
        };
    }

    private static IEnumerable<Entry> ByRank(SortedSetValue zset, long start, long stop, bool reverse)
    {
        long length = zset.Count;
        if (start < 0)
        {
            start += length;
        }

        if (stop < 0)
        {
            stop += length;
        }

        if (start < 0)
        {
            start = 0;
        }

        if (start > stop || start >= length)
        {
            return [];
        }

        stop = Math.Min(stop, length - 1);
        return zset.FromRank(start, reverse).Take((int)(stop - start + 1));
    }

    private static Reply Entries(IEnumerable<Entry> entries, bool withScores) =>
        withScores
            ? new PairsReply(entries.SelectMany(e => new Reply[] { new BulkReply(e.Member!), new DoubleReply(e.Score) }).ToArray())
            : Reply.BulkArray(entries.Select(e => e.Member!));

    private static Reply ZRem(in KeyCommandContext ctx)
    {
        if (!ctx.State.Exists)
        {
            return Reply.Integer(0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var state = ctx.State;
        int removed = ctx.Args.Skip(1).Count(state.RemoveScored);
        state.DeleteIfEmpty();
        return Reply.Integer(removed);
    }

    private static Reply RemoveRange(in KeyCommandContext ctx, RangeKind kind)
    {
        if (TrySelect(kind, ctx.Args[1], ctx.Args[2], reverse: false, out var select) is { } error)
        {
            return error;
        }

        if (!ctx.State.Exists)
        {
            return Reply.Integer(0);
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var state = ctx.State;
        var doomed = select(state.SortedSet!).Select(e => e.Member!).ToList();
        foreach (var member in doomed)
        {
            state.RemoveScored(member);
        }

        state.DeleteIfEmpty();
        return Reply.Integer(doomed.Count);
    }

    private static Reply Pop(in KeyCommandContext ctx, bool max)
    {
        var args = ctx.Args;
        if (args.Length > 2)
        {
            return Errors.Syntax;
        }

        long count = 1;
        bool hasCount = args.Length == 2;
        if (hasCount && (!RedisNumber.TryParseInt64(args[1], out count) || count < 0))
        {
            return CountNotPositive;
        }

        if (!ctx.State.Exists)
        {
            return Reply.EmptyArray;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        var state = ctx.State;
        var popped = state.SortedSet!.InOrder(max).Take((int)Math.Min(count, int.MaxValue)).ToList();
        foreach (var entry in popped)
        {
            state.RemoveScored(entry.Member!);
        }

        state.DeleteIfEmpty();

        // Without a count, one member and its score flat; with one, pairs (nested in RESP3).
        if (!hasCount)
        {
            return popped.Count == 0 ? Reply.EmptyArray : new ArrayReply([new BulkReply(popped[0].Member!), new DoubleReply(popped[0].Score)]);
        }

        return Entries(popped, withScores: true);
    }

    private static Reply ZRandMember(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (args.Length == 1)
        {
            if (IsOtherType(ctx))
            {
                return Errors.WrongType;
            }

            return ctx.State.SortedSet is { Count: > 0 } single
                ? new BulkReply(single.RandomEntry(Random.Shared).Member!)
                : Reply.NullBulk;
        }

        if (!RedisNumber.TryParseInt64(args[1], out long count))
        {
            return Errors.NotInteger;
        }

        if (count == long.MinValue)
        {
            return Errors.ValueOutOfRangeBetween(-long.MaxValue, long.MaxValue);
        }

        bool withScores = args.Length == 3 && Ascii.EqualsIgnoreCase(args[2], "WITHSCORES"u8);
        if (args.Length > 2 && !withScores)
        {
            return Errors.Syntax;
        }

        if (withScores && count < -long.MaxValue / 2)
        {
            return Errors.ValueOutOfRange;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (ctx.State.SortedSet is not { Count: > 0 } zset || count == 0)
        {
            return Reply.EmptyArray;
        }

        // Repeats allowed (negative count): one O(1) draw each. Distinct members: drawn until
        // there are enough when few are asked for, else a shuffle of all (as Redis switches).
        IEnumerable<Entry> chosen;
        if (count < 0)
        {
            chosen = Enumerable.Range(0, (int)Math.Min(-count, int.MaxValue)).Select(_ => zset.RandomEntry(Random.Shared)).ToList();
        }
        else if (count >= zset.Count)
        {
            chosen = zset.InOrder();
        }
        else if (count * 3 <= zset.Count)
        {
            var picked = new Dictionary<byte[], Entry>(Abstractions.Keys.ByteArrayComparer.Instance);
            while (picked.Count < count)
            {
                var entry = zset.RandomEntry(Random.Shared);
                picked.TryAdd(entry.Member!, entry);
            }

            chosen = picked.Values;
        }
        else
        {
            chosen = zset.InOrder().OrderBy(_ => Random.Shared.Next()).Take((int)count).ToList();
        }

        return Entries(chosen, withScores);
    }

    private static Reply ZScan(in KeyCommandContext ctx)
    {
        var args = ctx.Args;
        if (ScanArguments.TryReadCursor(args, out ulong cursor) is { } badCursor)
        {
            return badCursor;
        }

        if (IsOtherType(ctx))
        {
            return Errors.WrongType;
        }

        if (ScanArguments.TryReadOptions(args, cursor, out var scan) is { } badOption)
        {
            return badOption;
        }

        var state = ctx.State;
        if (state.SortedSet is not { } zset)
        {
            return HashCommands.ScanReply(0, []);
        }

        IEnumerable<byte[]> page;
        ulong next = 0;
        if (!state.SortedSetIsSkiplist || zset.Count <= SinglePageSize)
        {
            page = zset.InOrder().Select(e => e.Member!);
        }
        else
        {
            var members = new List<byte[]>();
            next = state.FieldsInScanOrder().Walk(cursor, scan.Count, members);
            page = members;
        }

        // ZSCAN gives scores as text, in RESP3 too.
        var items = page
            .Where(scan.Matches)
            .SelectMany(m => new Reply[] { new BulkReply(m), new BulkReply(Encoding.ASCII.GetBytes(RedisNumber.FormatDouble(zset.TryGetScore(m, out double s) ? s : 0))) })
            .ToArray();
        return HashCommands.ScanReply(next, items);
    }

    // A range of scores as Redis's zslParseRange reads it: "(" for exclusive, inf and -inf allowed.
    private readonly record struct ScoreRange(double Min, bool MinExclusive, double Max, bool MaxExclusive)
    {
        public static bool TryParse(byte[] min, byte[] max, out ScoreRange range)
        {
            range = default;
            if (!TryParseBound(min, out double low, out bool lowExclusive) || !TryParseBound(max, out double high, out bool highExclusive))
            {
                return false;
            }

            range = new ScoreRange(low, lowExclusive, high, highExclusive);
            return true;
        }

        public IEnumerable<Entry> Select(SortedSetValue zset, bool reverse)
        {
            var self = this;
            return zset.ByScore(Min, Max, reverse)
                .Where(e => !(self.MinExclusive && e.Score == self.Min) && !(self.MaxExclusive && e.Score == self.Max));
        }

        public bool IsBefore(Entry entry) => entry.Score < Min || (MinExclusive && entry.Score == Min);

        public bool IsAfter(Entry entry) => entry.Score > Max || (MaxExclusive && entry.Score == Max);

        // As strtod reads a bound in zslParseRange: leading spaces skipped, nothing at all is 0,
        // a number too large is infinite; trailing characters and NaN are refused. Redis checks
        // where strtod stopped against a NUL, so a NUL ends the bound and what follows is ignored.
        private static bool TryParseBound(byte[] text, out double value, out bool exclusive)
        {
            exclusive = text.Length > 0 && text[0] == (byte)'(';
            var number = (exclusive ? text.AsSpan(1) : text.AsSpan()).TrimStart(" \t\n\v\f\r"u8);
            int nul = number.IndexOf((byte)0);
            number = nul >= 0 ? number[..nul] : number;
            value = 0;
            if (number.IsEmpty)
            {
                return true;
            }

            if (RedisNumber.TryParseDouble(number, out value))
            {
                return true;
            }

            return number[^1] is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r')
                && double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)
                && !double.IsNaN(value);
        }
    }

    // A range of members as Redis's zslParseLexRange reads it: "-", "+", "[x" inclusive, "(x" exclusive.
    private readonly record struct LexRange(byte[]? Min, bool MinExclusive, bool MinIsLowest, byte[]? Max, bool MaxExclusive, bool MaxIsHighest)
    {
        public static bool TryParse(byte[] min, byte[] max, out LexRange range)
        {
            range = default;
            if (!TryParseItem(min, out var low, out bool lowExclusive, out bool lowest, out bool lowHighest)
                || !TryParseItem(max, out var high, out bool highExclusive, out bool highLowest, out bool highest))
            {
                return false;
            }

            // "+" as the minimum or "-" as the maximum match nothing.
            range = new LexRange(lowHighest ? null : low, lowExclusive, lowest, highLowest ? null : high, highExclusive, highest)
            {
                Empty = lowHighest || highLowest,
            };
            return true;
        }

        public bool Empty { get; init; }

        public bool IsBeforeMin(byte[] member)
        {
            if (MinIsLowest)
            {
                return false;
            }

            int low = member.AsSpan().SequenceCompareTo(Min);
            return low < 0 || (low == 0 && MinExclusive);
        }

        public bool IsAfterMax(byte[] member)
        {
            if (MaxIsHighest)
            {
                return false;
            }

            int high = member.AsSpan().SequenceCompareTo(Max);
            return high > 0 || (high == 0 && MaxExclusive);
        }

        private static bool TryParseItem(byte[] text, out byte[]? value, out bool exclusive, out bool lowest, out bool highest)
        {
            value = null;
            exclusive = lowest = highest = false;
            if (text.Length == 1 && text[0] == (byte)'-')
            {
                lowest = true;
                return true;
            }

            if (text.Length == 1 && text[0] == (byte)'+')
            {
                highest = true;
                return true;
            }

            if (text.Length > 0 && text[0] is (byte)'(' or (byte)'[')
            {
                exclusive = text[0] == (byte)'(';
                value = text[1..];
                return true;
            }

            return false;
        }
    }
}
