using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>Finds the grain of a key.</summary>
public static class KeyGrainFactory
{
    /// <summary>The grain of <paramref name="key"/> in database <paramref name="db"/>.</summary>
    public static IKeyGrain GetKeyGrain(this IGrainFactory factory, int db, ReadOnlySpan<byte> key) =>
        factory.GetGrain<IKeyGrain>(new IdSpan(KeyAddress.Encode(db, key)));
}
