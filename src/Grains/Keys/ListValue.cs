namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A list's elements in a ring buffer: pushes and pops at either end and reads by index are
/// O(1), as LINDEX/LSET near the ends are in Redis; an insert or removal in the middle moves the
/// elements after it. Element arrays are never mutated in place: replies share them.
/// </summary>
public sealed class ListValue
{
    private byte[][] _items = new byte[4][];
    private int _head;

    /// <summary>The number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>The bytes of all elements (for the memory estimate).</summary>
    public long Bytes { get; private set; }

    /// <summary>The element at <paramref name="index"/> (0 is the head).</summary>
    public byte[] this[int index]
    {
        get => _items[Physical(index)];
        set
        {
            int at = Physical(index);
            Bytes += value.Length - _items[at].Length;
            _items[at] = value;
        }
    }

    /// <summary>Adds <paramref name="value"/> before the head.</summary>
    public void PushHead(byte[] value)
    {
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = value;
        Count++;
        Bytes += value.Length;
    }

    /// <summary>Adds <paramref name="value"/> after the tail.</summary>
    public void PushTail(byte[] value)
    {
        Grow();
        _items[Physical(Count)] = value;
        Count++;
        Bytes += value.Length;
    }

    /// <summary>Removes and returns the head.</summary>
    public byte[] PopHead()
    {
        var value = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
        Bytes -= value.Length;
        Shrink();
        return value;
    }

    /// <summary>Removes and returns the tail.</summary>
    public byte[] PopTail()
    {
        int at = Physical(Count - 1);
        var value = _items[at];
        _items[at] = null!;
        Count--;
        Bytes -= value.Length;
        Shrink();
        return value;
    }

    /// <summary>Inserts <paramref name="value"/> so that it ends up at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, byte[] value)
    {
        var items = ToList();
        items.Insert(index, value);
        Reset(items);
    }

    /// <summary>Keeps only the elements at <paramref name="start"/>..<paramref name="stop"/> (inclusive, valid indexes), or none when <paramref name="stop"/> &lt; <paramref name="start"/>.</summary>
    public void Trim(int start, int stop)
    {
        Reset(stop < start ? [] : Range(start, stop).ToList());
    }

    /// <summary>Removes the elements at the given indexes (ascending).</summary>
    public void RemoveAt(IReadOnlyList<int> indexes)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        var kept = new List<byte[]>(Count - indexes.Count);
        int next = 0;
        for (int i = 0; i < Count; i++)
        {
            if (next < indexes.Count && indexes[next] == i)
            {
                next++;
                continue;
            }

            kept.Add(this[i]);
        }

        Reset(kept);
    }

    /// <summary>The elements at <paramref name="start"/>..<paramref name="stop"/> (inclusive, valid indexes), head first.</summary>
    public IEnumerable<byte[]> Range(int start, int stop)
    {
        for (int i = start; i <= stop; i++)
        {
            yield return this[i];
        }
    }

    /// <summary>All elements, head first.</summary>
    public List<byte[]> ToList() => Range(0, Count - 1).ToList();

    private int Physical(int index)
    {
        if ((uint)index >= (uint)Count && !(index == Count && Count < _items.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        int at = _head + index;
        return at >= _items.Length ? at - _items.Length : at;
    }

    private void Grow()
    {
        if (Count == _items.Length)
        {
            Resize(_items.Length * 2);
        }
    }

    // Gives memory back once a list that grew large is mostly popped.
    private void Shrink()
    {
        if (_items.Length > 64 && Count < _items.Length / 4)
        {
            Resize(_items.Length / 2);
        }
    }

    private void Resize(int capacity)
    {
        var items = new byte[capacity][];
        for (int i = 0; i < Count; i++)
        {
            items[i] = this[i];
        }

        _items = items;
        _head = 0;
    }

    private void Reset(List<byte[]> items)
    {
        _items = new byte[Math.Max(4, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, items.Count)))][];
        items.CopyTo(_items);
        _head = 0;
        Count = items.Count;
        long bytes = 0;
        foreach (var item in items)
        {
            bytes += item.Length;
        }

        Bytes = bytes;
    }
}
