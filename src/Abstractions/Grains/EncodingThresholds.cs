namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// Redis's thresholds for its compact encodings, which OBJECT ENCODING and HSCAN, SSCAN and
/// ZSCAN paging show: <c>hash-max-listpack-entries</c>/<c>-value</c>,
/// <c>set-max-intset-entries</c>, <c>zset-max-listpack-entries</c>/<c>-value</c> (the
/// <c>*-ziplist-*</c> names are aliases). A collection past them converts, and stays converted.
/// </summary>
[GenerateSerializer, Immutable, Alias("encoding-thresholds")]
public sealed record EncodingThresholds(
    [property: Id(0)] long HashEntries,
    [property: Id(1)] long HashValue,
    [property: Id(2)] long SetIntsetEntries,
    [property: Id(3)] long SortedSetEntries,
    [property: Id(4)] long SortedSetValue)
{
    /// <summary>Redis 7.0's defaults.</summary>
    public static readonly EncodingThresholds Default = new(512, 64, 512, 128, 64);
}
