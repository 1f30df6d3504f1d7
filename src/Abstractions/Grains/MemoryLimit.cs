namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// <c>maxmemory</c> (for the whole cluster: each node enforces its share, maxmemory divided by
/// the number of nodes; 0 for no limit), <c>maxmemory-policy</c> and <c>maxmemory-samples</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("memory-limit")]
public sealed record MemoryLimit([property: Id(0)] long MaxMemory, [property: Id(1)] string Policy, [property: Id(2)] int Samples);

/// <summary>A node's memory: the bytes its keys take (estimated), its share of maxmemory, and the keys it has evicted.</summary>
[GenerateSerializer, Immutable, Alias("node-memory")]
public sealed record NodeMemory([property: Id(0)] long UsedBytes, [property: Id(1)] long ShareBytes, [property: Id(2)] long EvictedKeys);
