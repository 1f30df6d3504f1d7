namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A sorted set's members in Redis's order, as Redis's zskiplist keeps them: a skip list whose
/// links carry spans (how many members each skips), so that inserts, removals, a member's rank,
/// the member at a rank and the first member of a range are all O(log n), and walking on from
/// there O(1) a member, either way.
/// </summary>
public sealed class SortedSetOrder(IComparer<SortedSetValue.Entry> comparer)
{
    private const int MaxLevel = 32;
    private const double Promote = 0.25; // Redis's ZSKIPLIST_P
    private readonly Node _head = new(default, MaxLevel);
    private readonly Node?[] _update = new Node?[MaxLevel];
    private readonly long[] _rank = new long[MaxLevel];
    private Node? _tail;
    private int _level = 1;

    /// <summary>The number of members.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="entry"/>, which must not be in the list.</summary>
    public void Add(SortedSetValue.Entry entry)
    {
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            _rank[i] = i == _level - 1 ? 0 : _rank[i + 1];
            while (x.Levels[i].Next is { } next && comparer.Compare(next.Entry, entry) < 0)
            {
                _rank[i] += x.Levels[i].Span;
                x = next;
            }

            _update[i] = x;
        }

        int level = RandomLevel();
        if (level > _level)
        {
            for (int i = _level; i < level; i++)
            {
                _rank[i] = 0;
                _update[i] = _head;
                _head.Levels[i].Span = Count;
            }

            _level = level;
        }

        var node = new Node(entry, level);
        for (int i = 0; i < level; i++)
        {
            var before = _update[i]!;
            node.Levels[i].Next = before.Levels[i].Next;
            before.Levels[i].Next = node;
            node.Levels[i].Span = before.Levels[i].Span - (_rank[0] - _rank[i]);
            before.Levels[i].Span = _rank[0] - _rank[i] + 1;
        }

        for (int i = level; i < _level; i++)
        {
            _update[i]!.Levels[i].Span++;
        }

        node.Backward = _update[0] == _head ? null : _update[0];
        if (node.Levels[0].Next is { } after)
        {
            after.Backward = node;
        }
        else
        {
            _tail = node;
        }

        Count++;
    }

    /// <summary>Removes <paramref name="entry"/>; returns whether it was there.</summary>
    public bool Remove(SortedSetValue.Entry entry)
    {
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Next is { } next && comparer.Compare(next.Entry, entry) < 0)
            {
                x = next;
            }

            _update[i] = x;
        }

        var found = x.Levels[0].Next;
        if (found is null || comparer.Compare(found.Entry, entry) != 0)
        {
            return false;
        }

        for (int i = 0; i < _level; i++)
        {
            var before = _update[i]!;
            if (before.Levels[i].Next == found)
            {
                before.Levels[i].Span += found.Levels[i].Span - 1;
                before.Levels[i].Next = found.Levels[i].Next;
            }
            else
            {
                before.Levels[i].Span--;
            }
        }

        if (found.Levels[0].Next is { } after)
        {
            after.Backward = found.Backward;
        }
        else
        {
            _tail = found.Backward;
        }

        while (_level > 1 && _head.Levels[_level - 1].Next is null)
        {
            _level--;
        }

        Count--;
        return true;
    }

    /// <summary>The 0-based rank of <paramref name="entry"/>, or -1 when it is not in the list.</summary>
    public long RankOf(SortedSetValue.Entry entry)
    {
        long rank = 0;
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Next is { } next && comparer.Compare(next.Entry, entry) <= 0)
            {
                rank += x.Levels[i].Span;
                x = next;
            }

            if (x != _head && comparer.Compare(x.Entry, entry) == 0)
            {
                return rank - 1;
            }
        }

        return -1;
    }

    /// <summary>The members from 0-based rank <paramref name="rank"/> on, in order or (from the end) in reverse.</summary>
    public IEnumerable<SortedSetValue.Entry> FromRank(long rank, bool reverse) =>
        rank < 0 || rank >= Count ? [] : Walk(AtRank(reverse ? Count - 1 - rank : rank), reverse);

    /// <summary>The members from the first that <paramref name="isBefore"/> does not place before the range, in order.</summary>
    /// <remarks><paramref name="isBefore"/> must hold for a prefix of the order, as "score below the minimum" does.</remarks>
    public IEnumerable<SortedSetValue.Entry> From(Func<SortedSetValue.Entry, bool> isBefore)
    {
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Next is { } next && isBefore(next.Entry))
            {
                x = next;
            }
        }

        return Walk(x.Levels[0].Next, reverse: false);
    }

    /// <summary>The members from the last that <paramref name="isAfter"/> does not place after the range, in reverse.</summary>
    /// <remarks><paramref name="isAfter"/> must hold for a suffix of the order.</remarks>
    public IEnumerable<SortedSetValue.Entry> BackFrom(Func<SortedSetValue.Entry, bool> isAfter)
    {
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Next is { } next && !isAfter(next.Entry))
            {
                x = next;
            }
        }

        return Walk(x == _head ? null : x, reverse: true);
    }

    /// <summary>Every member, in order or in reverse.</summary>
    public IEnumerable<SortedSetValue.Entry> All(bool reverse) => Walk(reverse ? _tail : _head.Levels[0].Next, reverse);

    private Node AtRank(long rank)
    {
        long traversed = 0;
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Next is { } next && traversed + x.Levels[i].Span <= rank + 1)
            {
                traversed += x.Levels[i].Span;
                x = next;
            }

            if (traversed == rank + 1)
            {
                return x;
            }
        }

        throw new InvalidOperationException($"rank {rank} is not in a list of {Count}");
    }

    private static IEnumerable<SortedSetValue.Entry> Walk(Node? from, bool reverse)
    {
        for (var x = from; x is not null; x = reverse ? x.Backward : x.Levels[0].Next)
        {
            yield return x.Entry;
        }
    }

    // Redis's zslRandomLevel: each level up with probability 1/4.
    private static int RandomLevel()
    {
        int level = 1;
        while (level < MaxLevel && Random.Shared.NextDouble() < Promote)
        {
            level++;
        }

        return level;
    }

    private sealed class Node(SortedSetValue.Entry entry, int levels)
    {
        public readonly SortedSetValue.Entry Entry = entry;
        public readonly Level[] Levels = new Level[levels];
        public Node? Backward;
    }

    private struct Level
    {
        public Node? Next;
        public long Span;
    }
}
