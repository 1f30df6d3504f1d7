using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Dispatch;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Resp.Commands.Keys;

/// <summary>
/// SORT and SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern …] [ASC|DESC] [ALPHA]
/// [STORE destination], as Redis 7.0's sortCommandGeneric: the elements come from the key's
/// grain; BY and GET patterns name other keys (the first <c>*</c> replaced by the element,
/// <c>-&gt;field</c> for a hash field, <c>#</c> the element itself), read with one call per
/// element, in parallel, wherever they live; the result is sorted here and, with STORE, written
/// whole as a list to the destination's grain. Not atomic across keys (docs/compatibility.md).
/// </summary>
public static class SortBinding
{
    private static readonly ErrorReply NotDoubles = new("ERR One or more scores can't be converted into double");

    /// <summary>The bindings.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("sort", CommandId.Sort, ctx => Sort(ctx, readOnly: false)),
        new("sort_ro", CommandId.SortRo, ctx => Sort(ctx, readOnly: true)),
    ];

    private sealed class Element(byte[] value)
    {
        public byte[] Value { get; } = value;

        public double Score { get; set; }

        public byte[]? CompareBy { get; set; }
    }

    private static async ValueTask<Reply> Sort(CommandContext ctx, bool readOnly)
    {
        var args = ctx.Args;
        bool desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[]? sortBy = null, store = null;
        var gets = new List<byte[]>();
        for (int j = 2; j < args.Count; j++)
        {
            int left = args.Count - j - 1;
            if (args.Is(j, "ASC"u8))
            {
                desc = false;
            }
            else if (args.Is(j, "DESC"u8))
            {
                desc = true;
            }
            else if (args.Is(j, "ALPHA"u8))
            {
                alpha = true;
            }
            else if (args.Is(j, "LIMIT"u8) && left >= 2)
            {
                if (!args.TryGetInt64(j + 1, out limitStart) || !args.TryGetInt64(j + 2, out limitCount))
                {
                    return Errors.NotInteger;
                }

                j += 2;
            }
            else if (!readOnly && args.Is(j, "STORE"u8) && left >= 1)
            {
                store = args.ToArray(++j);
            }
            else if (args.Is(j, "BY"u8) && left >= 1)
            {
                sortBy = args.ToArray(++j);

                // A pattern without '*' (BY nosort) means: do not sort.
                dontSort = Array.IndexOf(sortBy, (byte)'*') < 0;
            }
            else if (args.Is(j, "GET"u8) && left >= 1)
            {
                gets.Add(args.ToArray(++j));
            }
            else
            {
                return Errors.Syntax;
            }
        }

        byte[] key = args.ToArray(1);
        var source = await KeyRouting.Execute(ctx, new KeyCommand(CommandId.SortElements, [key]));
        if (source is ErrorReply)
        {
            return source;
        }

        var (type, elements) = ((ArrayReply)source).Items is [StatusReply status, ArrayReply items] ? (status.Value, items) : ("none", Reply.EmptyArray);
        bool isSet = type == "set";
        bool isOrdered = type is "list" or "zset";

        // A set is sorted when stored, so the result does not depend on the set's own order.
        if (dontSort && isSet && store is not null)
        {
            (dontSort, alpha, sortBy) = (false, true, null);
        }

        var all = elements.Items.Select(item => new Element(((BulkReply)item).Value)).ToList();
        long length = all.Count;
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? length - 1 : start + limitCount - 1;
        if (start >= length)
        {
            (start, end) = (length - 1, length - 2);
        }

        end = Math.Min(end, length - 1);

        List<Element> vector;
        if (dontSort && isOrdered)
        {
            // In the key's own order, reversed by DESC, the LIMIT applied directly.
            IEnumerable<Element> ordered = desc ? Enumerable.Reverse(all) : all;
            vector = end >= start ? ordered.Skip((int)start).Take((int)(end - start + 1)).ToList() : [];
            (end, start) = (end - start, 0);
        }
        else
        {
            vector = all;
        }

        if (!dontSort)
        {
            bool conversionError = false;
            var byValues = sortBy is null ? null : await Lookup(ctx, sortBy, vector);
            for (int j = 0; j < vector.Count; j++)
            {
                byte[]? by = byValues is null ? vector[j].Value : byValues[j];
                if (by is null)
                {
                    continue;
                }

                if (alpha)
                {
                    vector[j].CompareBy = sortBy is null ? null : by;
                }
                else if (!TryParseScore(by, out double score))
                {
                    conversionError = true;
                }
                else
                {
                    vector[j].Score = score;
                }
            }

            if (conversionError)
            {
                return NotDoubles;
            }

            vector.Sort((x, y) => Compare(x, y, alpha, byPattern: sortBy is not null, desc));
        }

        var chosen = end >= start ? vector.Skip((int)start).Take((int)(end - start + 1)).ToList() : [];
        var output = new List<byte[]?>();
        if (gets.Count == 0)
        {
            output.AddRange(chosen.Select(element => element.Value));
        }
        else
        {
            var columns = new List<byte[]?[]>();
            foreach (var pattern in gets)
            {
                columns.Add(await Lookup(ctx, pattern, chosen));
            }

            for (int j = 0; j < chosen.Count; j++)
            {
                output.AddRange(columns.Select(column => column[j]));
            }
        }

        if (store is null)
        {
            return new ArrayReply(output.Select(value => (Reply)Reply.Bulk(value)).ToArray());
        }

        if (output.Count == 0)
        {
            await ResultStore.Delete(ctx, store);
            return Reply.Integer(0);
        }

        var list = new KeySnapshot(ValueType.List, null, null, 0) { ListElements = output.Select(value => value ?? []).ToArray() };
        await ResultStore.Replace(ctx, store, list, KeyspaceEventFlags.List, "sortstore");
        return Reply.Integer(output.Count);
    }

    // Redis's sortCompare: by score, equal scores by the elements' bytes; ALPHA by the elements, or
    // by the BY values (a missing one first).
    private static int Compare(Element x, Element y, bool alpha, bool byPattern, bool desc)
    {
        int cmp;
        if (!alpha)
        {
            cmp = x.Score > y.Score ? 1 : x.Score < y.Score ? -1 : x.Value.AsSpan().SequenceCompareTo(y.Value);
        }
        else if (byPattern)
        {
            cmp = x.CompareBy is null || y.CompareBy is null
                ? (x.CompareBy is null ? (y.CompareBy is null ? 0 : -1) : 1)
                : x.CompareBy.AsSpan().SequenceCompareTo(y.CompareBy);
        }
        else
        {
            cmp = x.Value.AsSpan().SequenceCompareTo(y.Value);
        }

        return desc ? -cmp : cmp;
    }

    // As strtod over the whole value: leading blanks allowed, nothing after the number, not NaN; "" is 0.
    private static bool TryParseScore(byte[] text, out double score)
    {
        var trimmed = text.AsSpan().TrimStart(" \t\n\v\f\r"u8);
        if (trimmed.Length == 0)
        {
            score = 0;
            return text.Length == 0;
        }

        return RedisNumber.TryParseDouble(trimmed, out score) && !double.IsNaN(score);
    }

    // Redis's lookupKeyByPattern for each element: "#" is the element; the first '*' is replaced by
    // it; "->field" reads a hash field; a missing key, or one of another type, is null.
    private static async Task<byte[]?[]> Lookup(CommandContext ctx, byte[] pattern, List<Element> elements)
    {
        if (pattern is [(byte)'#'])
        {
            return elements.Select(element => (byte[]?)element.Value).ToArray();
        }

        int star = Array.IndexOf(pattern, (byte)'*');
        if (star < 0)
        {
            return new byte[]?[elements.Count];
        }

        int arrow = pattern.AsSpan(star + 1).IndexOf("->"u8);
        byte[]? field = null;
        int keyEnd = pattern.Length;
        if (arrow >= 0 && star + 1 + arrow + 2 < pattern.Length)
        {
            keyEnd = star + 1 + arrow;
            field = pattern[(keyEnd + 2)..];
        }

        var keys = elements.Select(element => (byte[])[.. pattern.AsSpan(0, star), .. element.Value, .. pattern.AsSpan(star + 1, keyEnd - star - 1)]).ToList();
        var replies = field is null
            ? await KeyRouting.OnEachKey(ctx, CommandId.GetOrNil, keys)
            : await KeyRouting.OnEachKey(ctx, CommandId.HGet, keys, field);
        return replies.Select(reply => reply is BulkReply bulk ? bulk.Value : null).ToArray();
    }
}
