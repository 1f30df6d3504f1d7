namespace OrleansRedis.Bench.Floor;

/// <summary>A grain that does nothing but answer: the floor under every key grain call.</summary>
public sealed class FloorGrain : Grain, IFloorGrain
{
    /// <inheritdoc/>
    public ValueTask<int> Echo(int value) => ValueTask.FromResult(value);
}
