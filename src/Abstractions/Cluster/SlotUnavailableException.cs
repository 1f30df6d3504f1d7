namespace OrleansRedis.Abstractions.Cluster;

/// <summary>
/// A key's slot cannot be served right now: its owner is down (the RESP layer answers
/// <c>-CLUSTERDOWN Hash slot not served</c>; the key is never answered as missing), or the slot
/// is moving between nodes (<see cref="Moving"/>: the call did nothing and may be retried; the
/// RESP layer retries it for a while, then answers <c>-TRYAGAIN</c>).
/// </summary>
[GenerateSerializer, Alias("slot-unavailable")]
public sealed class SlotUnavailableException : OrleansException
{
    /// <summary>Creates the exception for <paramref name="slot"/>, owned by <paramref name="node"/>.</summary>
    public SlotUnavailableException(int slot, string node, bool moving = false)
        : base(moving ? $"Slot {slot} is moving between nodes (owner '{node}')." : $"Slot {slot} is owned by node '{node}', which is down.")
    {
        Slot = slot;
        Node = node;
        Moving = moving;
    }

    /// <summary>The slot.</summary>
    [Id(0)]
    public int Slot { get; }

    /// <summary>The node that owns it.</summary>
    [Id(1)]
    public string Node { get; }

    /// <summary>Whether the slot is moving (or this node's view is behind), rather than its owner down.</summary>
    [Id(2)]
    public bool Moving { get; }

    /// <summary>The exception, or the one it wraps, when the call failed because its slot is unavailable.</summary>
    public static SlotUnavailableException? From(Exception exception) =>
        exception as SlotUnavailableException ?? exception.InnerException as SlotUnavailableException;
}
