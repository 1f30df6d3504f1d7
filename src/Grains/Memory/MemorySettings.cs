using OrleansRedis.Abstractions.Grains;

namespace OrleansRedis.Grains.Memory;

/// <summary>
/// The node's memory limit (<see cref="MemoryLimit"/>), as the silo was started with it or as
/// CONFIG SET last sent it to every node.
/// </summary>
public sealed class MemorySettings
{
    private volatile MemoryLimit _limit = new(0, "noeviction", 5);
    private volatile bool _isLfu;
    private volatile bool _tracksAccess;

    /// <summary>The limit in force.</summary>
    public MemoryLimit Limit
    {
        get => _limit;
        set
        {
            _limit = value;
            _isLfu = value.Policy.EndsWith("-lfu", StringComparison.Ordinal);
            _tracksAccess = value.Policy != "noeviction";
        }
    }

    /// <summary>Whether the policy evicts by access frequency (keys count accesses; OBJECT FREQ answers).</summary>
    public bool IsLfu => _isLfu;

    /// <summary>
    /// Whether keys publish their access time and LFU counter to the node index: only while a
    /// policy that evicts is set (under noeviction nobody reads them, and publishing costs an
    /// index update per command in a new second).
    /// </summary>
    public bool TracksAccess => _tracksAccess;
}
