using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Abstractions.Cluster;

/// <summary>One key on its way from its slot's old owner to its new one.</summary>
[GenerateSerializer, Immutable, Alias("key-transfer")]
public sealed record KeyTransfer([property: Id(0)] int Db, [property: Id(1)] byte[] Key, [property: Id(2)] KeySnapshot Value);
