using System.Buffers;
using System.Text;
using OrleansRedis.Abstractions.Text;

namespace OrleansRedis.Abstractions.Protocol;

/// <summary>
/// One parsed request: its arguments as slices of the receive buffer, valid until the
/// connection advances past them. Reused from request to request, so parsing allocates
/// nothing per argument.
/// </summary>
public sealed class RequestArgs
{
    private ReadOnlySequence<byte>[] _items = new ReadOnlySequence<byte>[8];

    /// <summary>Number of arguments, the command name included.</summary>
    public int Count { get; private set; }

    /// <summary>Argument <paramref name="index"/> (0 is the command name).</summary>
    public ReadOnlySequence<byte> this[int index] => _items[index];

    /// <summary>Forgets the arguments.</summary>
    public void Clear() => Count = 0;

    /// <summary>The arguments' bytes added up.</summary>
    public long TotalLength
    {
        get
        {
            long total = 0;
            for (int i = 0; i < Count; i++)
            {
                total += _items[i].Length;
            }

            return total;
        }
    }

    /// <summary>Appends an argument.</summary>
    public void Add(ReadOnlySequence<byte> item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    /// <summary>A copy of argument <paramref name="index"/>, for values that outlive the buffer.</summary>
    public byte[] ToArray(int index) => _items[index].ToArray();

    /// <summary>Copies of the arguments from <paramref name="start"/> on.</summary>
    public byte[][] ToArrays(int start)
    {
        var result = new byte[Math.Max(0, Count - start)][];
        for (int i = start; i < Count; i++)
        {
            result[i - start] = _items[i].ToArray();
        }

        return result;
    }

    /// <summary>Argument <paramref name="index"/> as text (UTF-8, invalid bytes replaced), for names and messages.</summary>
    public string GetString(int index) => Encoding.UTF8.GetString(_items[index]);

    /// <summary>Whether argument <paramref name="index"/> equals <paramref name="ascii"/>, ignoring ASCII case.</summary>
    public bool Is(int index, ReadOnlySpan<byte> ascii)
    {
        var item = _items[index];
        if (item.Length != ascii.Length)
        {
            return false;
        }

        return item.IsSingleSegment
            ? Ascii.EqualsIgnoreCase(item.FirstSpan, ascii)
            : Ascii.EqualsIgnoreCase(item.ToArray(), ascii);
    }

    /// <summary>Parses argument <paramref name="index"/> as a 64-bit integer with Redis's rules.</summary>
    public bool TryGetInt64(int index, out long value) =>
        RedisNumber.TryParseInt64(Span(index, stackalloc byte[24]), out value);

    /// <summary>Parses argument <paramref name="index"/> as an unsigned 64-bit integer (a cursor).</summary>
    public bool TryGetUInt64(int index, out ulong value) =>
        RedisNumber.TryParseUInt64(Span(index, stackalloc byte[24]), out value);

    // The argument as one span: itself when contiguous, else copied into scratch (too long: empty, which parses as invalid).
    private ReadOnlySpan<byte> Span(int index, Span<byte> scratch)
    {
        var item = _items[index];
        if (item.IsSingleSegment)
        {
            return item.FirstSpan;
        }

        if (item.Length > scratch.Length)
        {
            return [];
        }

        item.CopyTo(scratch);
        return scratch[..(int)item.Length];
    }
}
