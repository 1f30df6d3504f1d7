using System.Numerics;
using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Grains.Node;

/// <summary>
/// A set of keys ordered by their <see cref="ScanOrder"/> position, so that a walk from a
/// cursor (SCAN, KEYS in pages, RANDOMKEY, the evictor's and the expiry cycle's samples) costs
/// in proportion to the keys it takes, not to the size of the set. The positions are spread
/// over buckets by their top bits, each a small sorted array under its own lock; a
/// bitmap of the buckets in use lets a walk skip empty ones a word at a time.
/// </summary>
public sealed class PositionIndex
{
    private const int PositionBits = 63;

    private readonly int _bucketBits;
    private readonly Bucket?[] _buckets;
    private readonly ulong[] _used;
    private readonly object _allocation = new();
    private long _count;

    /// <summary>A set of 2^<paramref name="bucketBits"/> buckets (6 to 20): more for sets that grow large.</summary>
    public PositionIndex(int bucketBits = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucketBits, 20);
        _bucketBits = bucketBits;
        _buckets = new Bucket?[1 << bucketBits];
        _used = new ulong[(1 << bucketBits) / 64];
    }

    /// <summary>The set's buckets are 2^BucketBits.</summary>
    public int BucketBits => _bucketBits;

    /// <summary>How many keys the set holds.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>
    /// Makes the set hold <paramref name="key"/> or not, as <paramref name="belongs"/> says
    /// when asked under the bucket's lock: whoever changed the key last syncs last, so the
    /// set ends as the key's state, whatever order concurrent changes took.
    /// </summary>
    public void Sync<TState>(byte[] key, Func<TState, bool> belongs, TState state)
    {
        ulong position = ScanOrder.Position(key);
        int index = BucketOf(position);
        var bucket = _buckets[index] ?? Allocate(index);
        lock (bucket)
        {
            bool present = bucket.IndexOf(position, key) >= 0;
            bool wanted = belongs(state);
            if (present == wanted)
            {
                return;
            }

            if (wanted)
            {
                bucket.Insert(position, key);
                Interlocked.Increment(ref _count);
                if (bucket.Count == 1)
                {
                    Interlocked.Or(ref _used[index / 64], 1UL << (index % 64));
                }
            }
            else
            {
                bucket.Remove(position, key);
                Interlocked.Decrement(ref _count);
                if (bucket.Count == 0)
                {
                    Interlocked.And(ref _used[index / 64], ~(1UL << (index % 64)));
                }
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the keys at or after <paramref name="cursor"/> in position
    /// order, at least <paramref name="count"/> of them when there are (keys sharing the last
    /// position all go together), and returns the cursor that follows them: 0 when the walk
    /// reached the end.
    /// </summary>
    public ulong Walk(ulong cursor, int count, List<byte[]> into)
    {
        if (cursor > ScanOrder.MaxPosition)
        {
            return 0;
        }

        cursor = Math.Max(cursor, 1);
        int taken = 0;
        ulong last = 0;
        int index = BucketOf(cursor);
        while ((index = NextUsed(index)) >= 0)
        {
            var bucket = _buckets[index]!;
            lock (bucket)
            {
                for (int i = bucket.FirstAtOrAfter(cursor); i < bucket.Count; i++)
                {
                    ulong position = bucket.Positions[i];
                    if (taken >= count && position != last)
                    {
                        return position;
                    }

                    into.Add(bucket.Keys[i]);
                    last = position;
                    taken++;
                }
            }

            if (++index == _buckets.Length)
            {
                break;
            }
        }

        return 0;
    }

    /// <summary>The first key at or after a random position, wrapping around; null when the set is empty.</summary>
    public byte[]? Random() => FirstAtOrAfter((ulong)System.Random.Shared.NextInt64(long.MaxValue) + 1) ?? FirstAtOrAfter(1);

    // The first key at or after the position, or null (a walk of one, without a list: the evictor draws many).
    private byte[]? FirstAtOrAfter(ulong position)
    {
        for (int index = BucketOf(position); (index = NextUsed(index)) >= 0; index++)
        {
            var bucket = _buckets[index]!;
            lock (bucket)
            {
                int at = bucket.FirstAtOrAfter(position);
                if (at < bucket.Count)
                {
                    return bucket.Keys[at];
                }
            }

            if (index + 1 == _buckets.Length)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>Empties the set.</summary>
    public void Clear()
    {
        for (int index = 0; index < _buckets.Length; index++)
        {
            if (_buckets[index] is { } bucket)
            {
                lock (bucket)
                {
                    Interlocked.Add(ref _count, -bucket.Count);
                    bucket.Clear();
                    Interlocked.And(ref _used[index / 64], ~(1UL << (index % 64)));
                }
            }
        }
    }

    private int BucketOf(ulong position) => (int)((position - 1) >> (PositionBits - _bucketBits));

    // The first bucket in use at or after index, or -1.
    private int NextUsed(int index)
    {
        int word = index / 64;
        ulong bits = Volatile.Read(ref _used[word]) & (ulong.MaxValue << (index % 64));
        while (bits == 0)
        {
            if (++word == _used.Length)
            {
                return -1;
            }

            bits = Volatile.Read(ref _used[word]);
        }

        return (word * 64) + BitOperations.TrailingZeroCount(bits);
    }

    private Bucket Allocate(int index)
    {
        lock (_allocation)
        {
            return _buckets[index] ??= new Bucket();
        }
    }

    // Keys sorted by position (ties in any order), in two parallel arrays.
    private sealed class Bucket
    {
        public ulong[] Positions = [];
        public byte[][] Keys = [];
        public int Count;

        public int FirstAtOrAfter(ulong position)
        {
            int low = 0, high = Count;
            while (low < high)
            {
                int middle = (low + high) >>> 1;
                if (Positions[middle] < position)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        public int IndexOf(ulong position, byte[] key)
        {
            for (int i = FirstAtOrAfter(position); i < Count && Positions[i] == position; i++)
            {
                if (Keys[i].AsSpan().SequenceEqual(key))
                {
                    return i;
                }
            }

            return -1;
        }

        public void Insert(ulong position, byte[] key)
        {
            if (Count == Positions.Length)
            {
                int capacity = Math.Max(4, Count * 2);
                Array.Resize(ref Positions, capacity);
                Array.Resize(ref Keys, capacity);
            }

            int at = FirstAtOrAfter(position);
            Array.Copy(Positions, at, Positions, at + 1, Count - at);
            Array.Copy(Keys, at, Keys, at + 1, Count - at);
            Positions[at] = position;
            Keys[at] = key;
            Count++;
        }

        public void Remove(ulong position, byte[] key)
        {
            int at = IndexOf(position, key);
            Array.Copy(Positions, at + 1, Positions, at, Count - at - 1);
            Array.Copy(Keys, at + 1, Keys, at, Count - at - 1);
            Count--;
            Keys[Count] = null!;
            if (Count < Positions.Length / 4 && Positions.Length > 4)
            {
                Array.Resize(ref Positions, Math.Max(4, Positions.Length / 2));
                Array.Resize(ref Keys, Positions.Length);
            }
        }

        public void Clear()
        {
            Positions = [];
            Keys = [];
            Count = 0;
        }
    }
}
