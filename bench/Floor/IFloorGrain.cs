namespace OrleansRedis.Bench.Floor;

/// <summary>The most trivial grain call: what one Orleans call costs, whatever the grain does.</summary>
public interface IFloorGrain : IGrainWithIntegerKey
{
    /// <summary>Answers its argument.</summary>
    ValueTask<int> Echo(int value);
}
