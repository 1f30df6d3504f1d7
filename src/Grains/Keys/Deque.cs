namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A double-ended queue in a ring buffer: adding and removing at either end and reading by index
/// are O(1); an insert or removal in the middle moves the items after it.
/// </summary>
internal sealed class Deque<T>
    where T : class
{
    private T[] _items = new T[4];
    private int _head;

    /// <summary>The number of items.</summary>
    public int Count { get; private set; }

    /// <summary>The item at <paramref name="index"/> (0 is the head).</summary>
    public T this[int index]
    {
        get => _items[Physical(index)];
        set => _items[Physical(index)] = value;
    }

    /// <summary>The first item.</summary>
    public T First => this[0];

    /// <summary>The last item.</summary>
    public T Last => this[Count - 1];

    /// <summary>Adds <paramref name="item"/> before the head.</summary>
    public void PushHead(T item)
    {
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = item;
        Count++;
    }

    /// <summary>Adds <paramref name="item"/> after the tail.</summary>
    public void PushTail(T item)
    {
        Grow();
        Count++;
        _items[Physical(Count - 1)] = item;
    }

    /// <summary>Removes the head.</summary>
    public void PopHead()
    {
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
        Shrink();
    }

    /// <summary>Removes the tail.</summary>
    public void PopTail()
    {
        _items[Physical(Count - 1)] = null!;
        Count--;
        Shrink();
    }

    /// <summary>Puts <paramref name="items"/> in place of the item at <paramref name="index"/>.</summary>
    public void Replace(int index, IReadOnlyList<T> items)
    {
        var all = new List<T>(Count + items.Count);
        for (int i = 0; i < Count; i++)
        {
            if (i == index)
            {
                all.AddRange(items);
            }
            else
            {
                all.Add(this[i]);
            }
        }

        _items = new T[Math.Max(4, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, all.Count)))];
        all.CopyTo(_items);
        _head = 0;
        Count = all.Count;
    }

    private int Physical(int index)
    {
        if ((uint)index >= (uint)Count)
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

    // Gives memory back once a deque that grew large is mostly emptied.
    private void Shrink()
    {
        if (_items.Length > 64 && Count < _items.Length / 4)
        {
            Resize(_items.Length / 2);
        }
    }

    private void Resize(int capacity)
    {
        var items = new T[capacity];
        for (int i = 0; i < Count; i++)
        {
            items[i] = this[i];
        }

        _items = items;
        _head = 0;
    }
}
