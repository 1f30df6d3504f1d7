using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A sorted set: each member's score, and the members in Redis's order (by score, then by
/// member bytes) in a skip list with spans (<see cref="SortedSetOrder"/>). Lookups by member are
/// O(1); inserts, removals, ranks and the start of a range (by rank, score or member) O(log n),
/// then O(1) a member; a random member O(1) (the members are also kept in a list, each with its
/// place, as SetValue does).
/// </summary>
public sealed class SortedSetValue
{
    private readonly Dictionary<byte[], (double Score, int Place)> _scores = new(ByteArrayComparer.Instance);
    private readonly SortedSetOrder _order = new(EntryComparer.Instance);
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
    public IEnumerable<Entry> InOrder(bool reverse = false) => _order.All(reverse);

    /// <summary>The members from 0-based rank <paramref name="start"/> on (counted from the end when <paramref name="reverse"/>).</summary>
    public IEnumerable<Entry> FromRank(long start, bool reverse) => _order.FromRank(start, reverse);

    /// <summary>The members whose scores lie between <paramref name="min"/> and <paramref name="max"/> (inclusive), in order.</summary>
    public IEnumerable<Entry> ByScore(double min, double max, bool reverse)
    {
        if (min > max || _order.Count == 0)
        {
            return [];
        }

        return reverse
            ? _order.BackFrom(e => e.Score > max).TakeWhile(e => e.Score >= min)
            : _order.From(e => e.Score < min).TakeWhile(e => e.Score <= max);
    }

    /// <summary>
    /// The members from the first not <paramref name="beforeRange"/> while not <paramref name="afterRange"/>
    /// (in reverse: from the last not after, while not before); both must be monotone along the order,
    /// as a range of members is when all scores are equal (Redis's lex ranges assume it too).
    /// </summary>
    public IEnumerable<Entry> Between(Func<Entry, bool> beforeRange, Func<Entry, bool> afterRange, bool reverse) =>
        reverse
            ? _order.BackFrom(afterRange).TakeWhile(e => !beforeRange(e))
            : _order.From(beforeRange).TakeWhile(e => !afterRange(e));

    /// <summary>How many members <see cref="Between"/> would give, in O(log n): from the ranks of the range's ends.</summary>
    public long CountBetween(Func<Entry, bool> beforeRange, Func<Entry, bool> afterRange)
    {
        foreach (var first in _order.From(beforeRange))
        {
            foreach (var last in _order.BackFrom(afterRange))
            {
                return EntryComparer.Instance.Compare(first, last) > 0 ? 0 : _order.RankOf(last) - _order.RankOf(first) + 1;
            }
        }

        return 0;
    }

    /// <summary>The member's rank (0 for the lowest score), or -1.</summary>
    public long RankOf(byte[] member, bool reverse)
    {
        if (!_scores.TryGetValue(member, out var found))
        {
            return -1;
        }

        long rank = _order.RankOf(new Entry(found.Score, member));
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
