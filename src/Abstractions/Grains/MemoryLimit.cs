namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// <c>maxmemory</c> (for the whole cluster: each node enforces its share, maxmemory divided by
/// the number of nodes; 0 for no limit), <c>maxmemory-policy</c> and <c>maxmemory-samples</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("memory-limit")]
public sealed record MemoryLimit([property: Id(0)] long MaxMemory, [property: Id(1)] string Policy, [property: Id(2)] int Samples);

/// <summary>
/// A node's memory and key counters: the bytes its keys take (estimated), its share of
/// maxmemory, and the keys it has evicted and expired, and its reads that found their key or not.
/// </summary>
[GenerateSerializer, Immutable, Alias("node-memory")]
public sealed record NodeMemory(
    [property: Id(0)] long UsedBytes,
    [property: Id(1)] long ShareBytes,
    [property: Id(2)] long EvictedKeys,
    [property: Id(3)] long ExpiredKeys = 0,
    [property: Id(4)] long KeyspaceHits = 0,
    [property: Id(5)] long KeyspaceMisses = 0);
