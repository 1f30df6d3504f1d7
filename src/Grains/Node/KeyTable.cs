using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Grains.Node;

/// <summary>
/// A hash table from binary keys to small structs, safe for concurrent use: the keys are spread
/// over shards, each a chained table in two arrays (buckets, and entries holding the key, its
/// hash and its value) under its own lock. Unlike a <c>ConcurrentDictionary</c> it allocates
/// nothing per key but the key itself (an update changes the entry in place), so a million keys
/// are a few hundred arrays the collector barely looks at instead of millions of nodes, and a
/// deleted key leaves no garbage behind but its name. A shard shrinks when a quarter full.
/// </summary>
/// <typeparam name="TValue">What is kept for each key.</typeparam>
public sealed class KeyTable<TValue>
    where TValue : struct
{
    private const int ShardBits = 6;
    private const int MinimumCapacity = 4;

    private readonly Shard[] _shards = new Shard[1 << ShardBits];
    private long _count;

    /// <summary>A new, empty table.</summary>
    public KeyTable()
    {
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard();
        }
    }

    /// <summary>
    /// What a change makes of a key's value: whether the key is in the table (before, and as the
    /// change leaves it) and its value then.
    /// </summary>
    /// <param name="Existed">Whether the key was in the table before.</param>
    /// <param name="Before">Its value before (default when it was not).</param>
    /// <param name="Exists">Whether the key is in the table after.</param>
    /// <param name="After">Its value after (default when it is not).</param>
    public readonly record struct Outcome(bool Existed, TValue Before, bool Exists, TValue After);

    /// <summary>How many keys the table holds.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The value of <paramref name="key"/>, if the table has it.</summary>
    public bool TryGetValue(byte[] key, out TValue value)
    {
        int hash = ByteArrayComparer.Instance.GetHashCode(key);
        var shard = ShardOf(hash);
        lock (shard)
        {
            int index = shard.Find(hash, key);
            value = index >= 0 ? shard.Entries[index].Value : default;
            return index >= 0;
        }
    }

    /// <summary>
    /// Changes the value of <paramref name="key"/> atomically: <paramref name="change"/> is given
    /// whether the key is there and its value, and answers whether it should be there afterwards
    /// and with what value. It runs under the shard's lock: it must be quick and call nothing
    /// that takes another lock. The key's array is kept when the key is added.
    /// </summary>
    public Outcome Change<TState>(byte[] key, TState state, Func<bool, TValue, TState, (bool Keep, TValue Value)> change)
    {
        int hash = ByteArrayComparer.Instance.GetHashCode(key);
        var shard = ShardOf(hash);
        lock (shard)
        {
            int index = shard.Find(hash, key);
            bool existed = index >= 0;
            var before = existed ? shard.Entries[index].Value : default;
            var (keep, after) = change(existed, before, state);
            if (keep)
            {
                if (existed)
                {
                    shard.Entries[index].Value = after;
                }
                else
                {
                    shard.Add(hash, key, after);
                    Interlocked.Increment(ref _count);
                }
            }
            else if (existed)
            {
                shard.Remove(hash, key);
                Interlocked.Decrement(ref _count);
            }

            return new Outcome(existed, before, keep, keep ? after : default);
        }
    }

    /// <summary>Removes <paramref name="key"/>, giving its value, if the table has it.</summary>
    public bool TryRemove(byte[] key, out TValue value)
    {
        var outcome = Change(key, 0, static (_, _, _) => (false, default));
        value = outcome.Before;
        return outcome.Existed;
    }

    /// <summary>
    /// Every key with its value, shard by shard: each shard is copied under its lock, so a walk
    /// sees each key once, as it was when its shard was copied, and holds no lock between.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], TValue>> Pairs()
    {
        foreach (var shard in _shards)
        {
            KeyValuePair<byte[], TValue>[] copy;
            lock (shard)
            {
                copy = shard.Copy();
            }

            foreach (var pair in copy)
            {
                yield return pair;
            }
        }
    }

    private Shard ShardOf(int hash) => _shards[(uint)hash >> (32 - ShardBits)];

    private struct Entry
    {
        public byte[]? Key;
        public int Hash;
        public int Next; // the next entry of the bucket's chain (or of the free list), -1 at the end
        public TValue Value;
    }

    // One shard: Buckets[h & mask] is the first entry of a chain, plus one (0: empty); the entries
    // below Used are either in a chain or on the free list (Key null).
    private sealed class Shard
    {
        public Entry[] Entries = new Entry[MinimumCapacity];
        private int[] _buckets = new int[MinimumCapacity];
        private int _used;
        private int _count;
        private int _free = -1;

        public int Find(int hash, byte[] key)
        {
            for (int i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = Entries[i].Next)
            {
                ref var entry = ref Entries[i];
                if (entry.Hash == hash && entry.Key.AsSpan().SequenceEqual(key))
                {
                    return i;
                }
            }

            return -1;
        }

        public void Add(int hash, byte[] key, TValue value)
        {
            int index;
            if (_free >= 0)
            {
                index = _free;
                _free = Entries[index].Next;
            }
            else
            {
                if (_used == Entries.Length)
                {
                    Resize(Entries.Length * 2);
                }

                index = _used++;
            }

            ref int bucket = ref _buckets[hash & (_buckets.Length - 1)];
            Entries[index] = new Entry { Key = key, Hash = hash, Next = bucket - 1, Value = value };
            bucket = index + 1;
            _count++;
        }

        public void Remove(int hash, byte[] key)
        {
            ref int bucket = ref _buckets[hash & (_buckets.Length - 1)];
            int previous = -1;
            for (int i = bucket - 1; i >= 0; previous = i, i = Entries[i].Next)
            {
                ref var entry = ref Entries[i];
                if (entry.Hash != hash || !entry.Key.AsSpan().SequenceEqual(key))
                {
                    continue;
                }

                if (previous < 0)
                {
                    bucket = entry.Next + 1;
                }
                else
                {
                    Entries[previous].Next = entry.Next;
                }

                entry = new Entry { Next = _free };
                _free = i;
                _count--;
                if (_count < Entries.Length / 4 && Entries.Length > MinimumCapacity)
                {
                    Resize(Math.Max(MinimumCapacity, Entries.Length / 2));
                }

                return;
            }
        }

        public KeyValuePair<byte[], TValue>[] Copy()
        {
            var copy = new KeyValuePair<byte[], TValue>[_count];
            int n = 0;
            for (int i = 0; i < _used; i++)
            {
                if (Entries[i].Key is { } key)
                {
                    copy[n++] = KeyValuePair.Create(key, Entries[i].Value);
                }
            }

            return copy;
        }

        // To a new capacity (a power of two, at least the count): the live entries packed at the
        // start, the chains rebuilt, no free list.
        private void Resize(int capacity)
        {
            var entries = new Entry[capacity];
            var buckets = new int[capacity];
            int n = 0;
            for (int i = 0; i < _used; i++)
            {
                if (Entries[i].Key is null)
                {
                    continue;
                }

                ref var entry = ref entries[n];
                entry = Entries[i];
                ref int bucket = ref buckets[entry.Hash & (capacity - 1)];
                entry.Next = bucket - 1;
                bucket = n + 1;
                n++;
            }

            Entries = entries;
            _buckets = buckets;
            _used = n;
            _free = -1;
        }
    }
}
