using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A sorted set: each member's score, and the members in Redis's order (by score, then by
/// member bytes). Lookups by member are O(1), inserts and removals O(log n), ranges by score
/// O(log n + m), a random member O(1) (the members are also kept in a list, each with its place,
/// as SetValue does). Ranks are counted along the order (O(rank)), not kept in the tree.
/// </summary>
public sealed class SortedSetValue
{
    private readonly Dictionary<byte[], (double Score, int Place)> _scores = new(ByteArrayComparer.Instance);
    private readonly SortedSet<Entry> _order = new(EntryComparer.Instance);
    private readonly List<byte[]> _members = [];

    /// <summary>The number of members.</summary>
    public int Count => _scores.Count;

    /// <summary>The bytes of all members (for the memory estimate).</summary>
    public long Bytes { get; private set; }

    /// <summary>The member's score, if it is a member.</summary>
    public bool TryGetScore(byte[] member, out double score)
    {
        bool found = _scores.TryGetValue(member, out var entry);
        score = entry.Score;
        return found;
    }

    /// <summary>A member drawn uniformly at random, with its score (the set must not be empty).</summary>
    public Entry RandomEntry(Random random)
    {
        var member = _members[random.Next(_members.Count)];
        return new Entry(_scores[member].Score, member);
    }

    /// <summary>Sets the member's score; returns whether it is new. -0 is kept as 0, as Redis prints it.</summary>
    public bool Set(byte[] member, double score)
    {
        score = score == 0 ? 0 : score;
        if (_scores.TryGetValue(member, out var old))
        {
            _order.Remove(new Entry(old.Score, member));
            _scores[member] = (score, old.Place);
            _order.Add(new Entry(score, member));
            return false;
        }

        _scores[member] = (score, _members.Count);
        _members.Add(member);
        _order.Add(new Entry(score, member));
        Bytes += member.Length;
        return true;
    }

    /// <summary>Removes a member; returns whether it was there.</summary>
    public bool Remove(byte[] member)
    {
        if (!_scores.Remove(member, out var removed))
        {
            return false;
        }

        // The last member takes the removed one's place in the list.
        var last = _members[^1];
        _members.RemoveAt(_members.Count - 1);
        if (removed.Place < _members.Count)
        {
            _members[removed.Place] = last;
            _scores[last] = (_scores[last].Score, removed.Place);
        }

        _order.Remove(new Entry(removed.Score, member));
        Bytes -= member.Length;
        return true;
    }

    /// <summary>Every member in order (lowest score first), or in reverse.</summary>
    public IEnumerable<Entry> InOrder(bool reverse = false) => reverse ? _order.Reverse() : _order;

    /// <summary>The members whose scores lie between <paramref name="min"/> and <paramref name="max"/> (inclusive), in order.</summary>
    public IEnumerable<Entry> ByScore(double min, double max, bool reverse)
    {
        if (min > max || _order.Count == 0)
        {
            return [];
        }

        var view = _order.GetViewBetween(new Entry(min, []), new Entry(max, null));
        return reverse ? view.Reverse() : view;
    }

    /// <summary>The member's rank (0 for the lowest score), or -1.</summary>
    public long RankOf(byte[] member, bool reverse)
    {
        if (!_scores.TryGetValue(member, out var found))
        {
            return -1;
        }

        double score = found.Score;

        long rank = 0;
        foreach (var entry in _order)
        {
            if (EntryComparer.Instance.Compare(entry, new Entry(score, member)) == 0)
            {
                break;
            }

            rank++;
        }

        return reverse ? Count - 1 - rank : rank;
    }

    /// <summary>A member and its score.</summary>
    /// <param name="Score">The score.</param>
    /// <param name="Member">The member; null only in a range bound, where it sorts after every member.</param>
    public readonly record struct Entry(double Score, byte[]? Member);

    // Redis's order: by score, then by member bytes (memcmp, a prefix first).
    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry x, Entry y)
        {
            int byScore = x.Score.CompareTo(y.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            if (x.Member is null || y.Member is null)
            {
                return x.Member is null ? (y.Member is null ? 0 : 1) : -1;
            }

            return x.Member.AsSpan().SequenceCompareTo(y.Member);
        }
    }
}
