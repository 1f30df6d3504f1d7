using OrleansRedis.Abstractions.Grains;

namespace OrleansRedis.Grains.Memory;

/// <summary>
/// The node's memory limit (<see cref="MemoryLimit"/>), as the silo was started with it or as
/// CONFIG SET last sent it to every node.
/// </summary>
public sealed class MemorySettings
{
    private volatile MemoryLimit _limit = new(0, "noeviction", 5);

    /// <summary>The limit in force.</summary>
    public MemoryLimit Limit
    {
        get => _limit;
        set => _limit = value;
    }

    /// <summary>Whether the policy evicts by access frequency (OBJECT FREQ then answers).</summary>
    public bool IsLfu => _limit.Policy.EndsWith("-lfu", StringComparison.Ordinal);
}
