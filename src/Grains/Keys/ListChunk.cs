namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A run of a list's elements packed into one byte array, as a node of Redis's quicklist packs
/// them into a listpack: each entry is its length (LEB128), its bytes, and its length again with
/// the LEB128 bytes reversed, so an entry can be read from either end. The entries occupy
/// <c>[start, end)</c> of the array; free room may lie on both sides, so pushes and pops at
/// either end of the chunk move nothing in the common case.
/// </summary>
internal sealed class ListChunk
{
    /// <summary>What one chunk costs besides its entries' bytes: the two objects' headers, the fields and its place in the list.</summary>
    public const int Overhead = 80;

    private byte[] _data;
    private int _start;
    private int _end;

    private ListChunk(byte[] data, int start, int end, int count)
    {
        _data = data;
        _start = start;
        _end = end;
        Count = count;
    }

    /// <summary>The number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>The bytes of the entries' elements (without their lengths).</summary>
    public long ElementBytes { get; private set; }

    /// <summary>The bytes the entries occupy.</summary>
    public int Used => _end - _start;

    /// <summary>The bytes the chunk's array holds (what it costs, with <see cref="Overhead"/>).</summary>
    public int Capacity => _data.Length;

    /// <summary>An empty chunk with room for an entry of <paramref name="size"/> bytes.</summary>
    public static ListChunk Empty(int size, bool atHead)
    {
        int capacity = Math.Max(16, size);
        int at = atHead ? capacity : 0;
        return new ListChunk(new byte[capacity], at, at, 0);
    }

    /// <summary>The bytes an entry for an element of <paramref name="length"/> bytes takes.</summary>
    public static int EntrySize(int length) => length + (2 * VarintSize(length));

    /// <summary>Adds an entry after the last one; false when the chunk would pass <paramref name="limit"/> bytes (an empty chunk takes any entry).</summary>
    public bool TryPushTail(ReadOnlySpan<byte> value, int limit)
    {
        int size = EntrySize(value.Length);
        if (Count > 0 && Used + size > limit)
        {
            return false;
        }

        if (_data.Length - _end < size)
        {
            Reserve(size, limit, atHead: false);
        }

        _end += WriteEntry(_data.AsSpan(_end), value);
        Count++;
        ElementBytes += value.Length;
        return true;
    }

    /// <summary>Adds an entry before the first one; false when the chunk would pass <paramref name="limit"/> bytes.</summary>
    public bool TryPushHead(ReadOnlySpan<byte> value, int limit)
    {
        int size = EntrySize(value.Length);
        if (Count > 0 && Used + size > limit)
        {
            return false;
        }

        if (_start < size)
        {
            Reserve(size, limit, atHead: true);
        }

        _start -= size;
        WriteEntry(_data.AsSpan(_start, size), value);
        Count++;
        ElementBytes += value.Length;
        return true;
    }

    /// <summary>Removes the first entry and returns its element.</summary>
    public byte[] PopHead()
    {
        var (offset, length) = Next(_start);
        var value = _data.AsSpan(offset, length).ToArray();
        _start = offset + length + VarintSize(length);
        Count--;
        ElementBytes -= length;
        return value;
    }

    /// <summary>Removes the last entry and returns its element.</summary>
    public byte[] PopTail()
    {
        var (offset, length) = Previous(_end);
        var value = _data.AsSpan(offset, length).ToArray();
        _end = offset - VarintSize(length);
        Count--;
        ElementBytes -= length;
        return value;
    }

    /// <summary>Removes the first <paramref name="count"/> entries.</summary>
    public void DropHead(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var (offset, length) = Next(_start);
            _start = offset + length + VarintSize(length);
            ElementBytes -= length;
        }

        Count -= count;
    }

    /// <summary>Removes the last <paramref name="count"/> entries.</summary>
    public void DropTail(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var (offset, length) = Previous(_end);
            _end = offset - VarintSize(length);
            ElementBytes -= length;
        }

        Count -= count;
    }

    /// <summary>The element of entry <paramref name="index"/>, walked to from the nearer end.</summary>
    public ReadOnlyMemory<byte> ElementAt(int index)
    {
        if (index < Count / 2)
        {
            int at = _start;
            for (int i = 0; i < index; i++)
            {
                var (offset, length) = Next(at);
                at = offset + length + VarintSize(length);
            }

            var (first, size) = Next(at);
            return _data.AsMemory(first, size);
        }

        int end = _end;
        for (int i = Count - 1; i > index; i--)
        {
            var (offset, length) = Previous(end);
            end = offset - VarintSize(length);
        }

        var (last, bytes) = Previous(end);
        return _data.AsMemory(last, bytes);
    }

    /// <summary>The elements from entry <paramref name="from"/> on, first to last.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Forward(int from = 0)
    {
        int at = _start;
        for (int i = 0; i < Count; i++)
        {
            var (offset, length) = Next(at);
            at = offset + length + VarintSize(length);
            if (i >= from)
            {
                yield return _data.AsMemory(offset, length);
            }
        }
    }

    /// <summary>The elements last to first.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Backward()
    {
        int end = _end;
        for (int i = 0; i < Count; i++)
        {
            var (offset, length) = Previous(end);
            end = offset - VarintSize(length);
            yield return _data.AsMemory(offset, length);
        }
    }

    // Makes room for an entry of `size` bytes at one end: the entries are moved to the far side of
    // an array that has the room (this one when it is big enough, else one twice the size, up to
    // `limit` unless a single entry needs more), so a run of pushes at that end moves them once.
    private void Reserve(int size, int limit, bool atHead)
    {
        int used = Used;
        int capacity = _data.Length;
        if (used + size > capacity)
        {
            capacity = Math.Max(used + size, Math.Min(limit, capacity * 2));
        }

        var data = capacity == _data.Length ? _data : new byte[capacity];
        int start = atHead ? capacity - used : 0;
        _data.AsSpan(_start, used).CopyTo(data.AsSpan(start));
        _data = data;
        _start = start;
        _end = start + used;
    }

    // Writes length, bytes, reversed length; returns the size written.
    private static int WriteEntry(Span<byte> into, ReadOnlySpan<byte> value)
    {
        int prefix = WriteVarint(into, value.Length);
        value.CopyTo(into[prefix..]);
        int suffixAt = prefix + value.Length;
        into.Slice(0, prefix).CopyTo(into[suffixAt..]);
        into.Slice(suffixAt, prefix).Reverse();
        return suffixAt + prefix;
    }

    // The element of the entry starting at `at`: where its bytes begin and how many.
    private (int Offset, int Length) Next(int at)
    {
        int length = 0;
        int shift = 0;
        byte b;
        do
        {
            b = _data[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return (at, length);
    }

    // The element of the entry ending at `end`, read from its reversed length.
    private (int Offset, int Length) Previous(int end)
    {
        int length = 0;
        int shift = 0;
        int at = end;
        byte b;
        do
        {
            b = _data[--at];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return (at - length, length);
    }

    private static int WriteVarint(Span<byte> into, int value)
    {
        int i = 0;
        uint v = (uint)value;
        while (v >= 0x80)
        {
            into[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        into[i++] = (byte)v;
        return i;
    }

    private static int VarintSize(int value) => value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
}
