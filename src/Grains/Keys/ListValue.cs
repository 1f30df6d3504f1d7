using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A list's elements packed into chunks of up to 8 KB (<see cref="ListChunk"/>) held in a ring of
/// chunks, as Redis's quicklist packs them into listpacks (its default `list-max-listpack-size
/// -2`): an element costs its bytes and two or so of length, not an array of its own. Pushes and
/// pops at either end are O(1); reading by index walks the chunks from the nearer end and then
/// one chunk's entries, so LINDEX/LSET near the ends are O(1) and in the middle O(n), as in
/// Redis. Elements read out are copies: nothing outside shares a chunk's bytes.
/// </summary>
public sealed class ListValue
{
    /// <summary>The bytes a chunk may grow to before a push starts the next one (Redis's 8 KB listpack).</summary>
    public const int ChunkLimit = 8192;

    private Deque<ListChunk> _chunks = new();
    private long _chunkCapacity;

    /// <summary>The number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>The bytes of all elements.</summary>
    public long Bytes { get; private set; }

    /// <summary>What the list's storage occupies: its chunks' arrays and objects and the ring holding them.</summary>
    public long MemoryBytes => _chunkCapacity + ((long)_chunks.Count * ListChunk.Overhead);

    /// <summary>The element at <paramref name="index"/> (0 is the head).</summary>
    public byte[] this[int index]
    {
        get
        {
            var (chunk, at) = Locate(index);
            return _chunks[chunk].ElementAt(at).ToArray();
        }

        set
        {
            var (chunk, at) = Locate(index);
            var elements = Unpack(_chunks[chunk]);
            Bytes += value.Length - elements[at].Length;
            elements[at] = value;
            Repack(chunk, elements);
        }
    }

    /// <summary>Adds <paramref name="value"/> before the head.</summary>
    public void PushHead(byte[] value)
    {
        if (_chunks.Count > 0)
        {
            var first = _chunks.First;
            int before = first.Capacity;
            bool pushed = first.TryPushHead(value, ChunkLimit);
            _chunkCapacity += first.Capacity - before;
            if (pushed)
            {
                Count++;
                Bytes += value.Length;
                return;
            }
        }

        var fresh = ListChunk.Empty(ListChunk.EntrySize(value.Length), atHead: true);
        fresh.TryPushHead(value, ChunkLimit);
        _chunks.PushHead(fresh);
        _chunkCapacity += fresh.Capacity;

        Count++;
        Bytes += value.Length;
    }

    /// <summary>Adds <paramref name="value"/> after the tail.</summary>
    public void PushTail(byte[] value)
    {
        if (_chunks.Count > 0)
        {
            var last = _chunks.Last;
            int before = last.Capacity;
            bool pushed = last.TryPushTail(value, ChunkLimit);
            _chunkCapacity += last.Capacity - before;
            if (pushed)
            {
                Count++;
                Bytes += value.Length;
                return;
            }
        }

        var fresh = ListChunk.Empty(ListChunk.EntrySize(value.Length), atHead: false);
        fresh.TryPushTail(value, ChunkLimit);
        _chunks.PushTail(fresh);
        _chunkCapacity += fresh.Capacity;

        Count++;
        Bytes += value.Length;
    }

    /// <summary>Removes and returns the head.</summary>
    public byte[] PopHead()
    {
        var chunk = _chunks.First;
        var value = chunk.PopHead();
        Count--;
        Bytes -= value.Length;
        if (chunk.Count == 0)
        {
            _chunks.PopHead();
            _chunkCapacity -= chunk.Capacity;
        }

        return value;
    }

    /// <summary>Removes and returns the tail.</summary>
    public byte[] PopTail()
    {
        var chunk = _chunks.Last;
        var value = chunk.PopTail();
        Count--;
        Bytes -= value.Length;
        if (chunk.Count == 0)
        {
            _chunks.PopTail();
            _chunkCapacity -= chunk.Capacity;
        }

        return value;
    }

    /// <summary>Inserts <paramref name="value"/> so that it ends up at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, byte[] value)
    {
        if (index == Count)
        {
            PushTail(value);
            return;
        }

        if (index == 0)
        {
            PushHead(value);
            return;
        }

        var (chunk, at) = Locate(index);
        var elements = Unpack(_chunks[chunk]);
        elements.Insert(at, value);
        Count++;
        Bytes += value.Length;
        Repack(chunk, elements);
    }

    /// <summary>Keeps only the elements at <paramref name="start"/>..<paramref name="stop"/> (inclusive, valid indexes), or none when <paramref name="stop"/> &lt; <paramref name="start"/>.</summary>
    public void Trim(int start, int stop)
    {
        if (stop < start)
        {
            _chunks = new();
            _chunkCapacity = 0;
            Count = 0;
            Bytes = 0;
            return;
        }

        int fromTail = Count - 1 - stop;
        DropHead(start);
        DropTail(fromTail);
    }

    /// <summary>Removes the elements at the given indexes (ascending).</summary>
    public void RemoveAt(IReadOnlyList<int> indexes)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        var kept = new ListValue();
        int index = 0;
        int next = 0;
        foreach (var element in Elements())
        {
            if (next < indexes.Count && indexes[next] == index)
            {
                next++;
            }
            else
            {
                kept.PushTail(element.ToArray());
            }

            index++;
        }

        _chunks = kept._chunks;
        _chunkCapacity = kept._chunkCapacity;
        Count = kept.Count;
        Bytes = kept.Bytes;
    }

    /// <summary>The elements at <paramref name="start"/>..<paramref name="stop"/> (inclusive, valid indexes), head first.</summary>
    public IEnumerable<byte[]> Range(int start, int stop) => Slice(start, Math.Max(0, stop - start + 1)).Select(element => element.ToArray());

    /// <summary>
    /// The elements at <paramref name="start"/>..<paramref name="stop"/> (inclusive, valid
    /// indexes), head first, packed into one buffer as <see cref="PackedBulkArrayReply"/> holds
    /// them: LRANGE's reply without an array per element. Null when they would not fit one array.
    /// </summary>
    public PackedBulkArrayReply? PackRange(int start, int stop)
    {
        var ends = new int[Math.Max(0, stop - start + 1)];
        long total = 0;
        int n = 0;
        foreach (var element in Slice(start, ends.Length))
        {
            total += element.Length;
            ends[n++] = (int)Math.Min(total, int.MaxValue);
        }

        if (total > Array.MaxLength)
        {
            return null;
        }

        var data = GC.AllocateUninitializedArray<byte>((int)total);
        int at = 0;
        foreach (var element in Slice(start, ends.Length))
        {
            element.Span.CopyTo(data.AsSpan(at));
            at += element.Length;
        }

        return new PackedBulkArrayReply(data, ends);
    }

    // count elements from index start on (valid), head first; valid until the list changes.
    private IEnumerable<ReadOnlyMemory<byte>> Slice(int start, int count)
    {
        if (count == 0)
        {
            yield break;
        }

        var (chunk, at) = Locate(start);
        for (int c = chunk; c < _chunks.Count; c++, at = 0)
        {
            foreach (var element in _chunks[c].Forward(at))
            {
                yield return element;
                if (--count == 0)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Every element in order, head first or, with <paramref name="fromTail"/>, tail first; valid until the list changes.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Elements(bool fromTail = false)
    {
        for (int c = 0; c < _chunks.Count; c++)
        {
            var chunk = fromTail ? _chunks[_chunks.Count - 1 - c] : _chunks[c];
            foreach (var element in fromTail ? chunk.Backward() : chunk.Forward())
            {
                yield return element;
            }
        }
    }

    /// <summary>All elements, head first.</summary>
    public List<byte[]> ToList() => Range(0, Count - 1).ToList();

    // The chunk holding element `index` and the element's place in it, walked to from the nearer end.
    private (int Chunk, int At) Locate(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        if (index < Count / 2)
        {
            int c = 0;
            while (index >= _chunks[c].Count)
            {
                index -= _chunks[c].Count;
                c++;
            }

            return (c, index);
        }

        int fromEnd = Count - 1 - index;
        int last = _chunks.Count - 1;
        while (fromEnd >= _chunks[last].Count)
        {
            fromEnd -= _chunks[last].Count;
            last--;
        }

        return (last, _chunks[last].Count - 1 - fromEnd);
    }

    private void DropHead(int count)
    {
        while (count > 0)
        {
            var chunk = _chunks.First;
            int dropped = Math.Min(count, chunk.Count);
            long bytes = chunk.ElementBytes;
            chunk.DropHead(dropped);
            Bytes -= bytes - chunk.ElementBytes;
            Count -= dropped;
            count -= dropped;
            if (chunk.Count == 0)
            {
                _chunks.PopHead();
                _chunkCapacity -= chunk.Capacity;
            }
        }
    }

    private void DropTail(int count)
    {
        while (count > 0)
        {
            var chunk = _chunks.Last;
            int dropped = Math.Min(count, chunk.Count);
            long bytes = chunk.ElementBytes;
            chunk.DropTail(dropped);
            Bytes -= bytes - chunk.ElementBytes;
            Count -= dropped;
            count -= dropped;
            if (chunk.Count == 0)
            {
                _chunks.PopTail();
                _chunkCapacity -= chunk.Capacity;
            }
        }
    }

    private static List<byte[]> Unpack(ListChunk chunk) => chunk.Forward().Select(element => element.ToArray()).ToList();

    // Puts `elements` in place of chunk `index`, in as many chunks as they need.
    private void Repack(int index, List<byte[]> elements)
    {
        var chunks = new List<ListChunk>();
        foreach (var element in elements)
        {
            if (chunks.Count == 0 || !chunks[^1].TryPushTail(element, ChunkLimit))
            {
                var chunk = ListChunk.Empty(ListChunk.EntrySize(element.Length), atHead: false);
                chunk.TryPushTail(element, ChunkLimit);
                chunks.Add(chunk);
            }
        }

        _chunkCapacity -= _chunks[index].Capacity;
        _chunkCapacity += chunks.Sum(chunk => (long)chunk.Capacity);
        _chunks.Replace(index, chunks);
    }
}
