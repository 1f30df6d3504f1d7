namespace OrleansRedis.Abstractions.Keys;

/// <summary>
/// The node that owns a key's slot is down: the key cannot be served until it is back (it is
/// never answered as missing). The RESP layer answers <c>-CLUSTERDOWN Hash slot not served</c>.
/// </summary>
[GenerateSerializer, Alias("slot-unavailable")]
public sealed class SlotUnavailableException : OrleansException
{
    /// <summary>Creates the exception for <paramref name="slot"/>, owned by <paramref name="node"/>.</summary>
    public SlotUnavailableException(int slot, string node)
        : base($"Slot {slot} is owned by node '{node}', which is down.")
    {
        Slot = slot;
        Node = node;
    }

    /// <summary>The slot.</summary>
    [Id(0)]
    public int Slot { get; }

    /// <summary>The node that owns it.</summary>
    [Id(1)]
    public string Node { get; }
}
