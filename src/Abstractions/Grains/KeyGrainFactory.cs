using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>Finds the grain of a key.</summary>
public static class KeyGrainFactory
{
    // The key grain's type and interface, resolved once: resolving them per call (what
    // GetGrain<T>(IdSpan) does) reflects over the interface every time, a hot-path cost.
    private static (GrainType Type, GrainInterfaceType Interface)? _types;

    /// <summary>The grain of <paramref name="key"/> in database <paramref name="db"/>.</summary>
    public static IKeyGrain GetKeyGrain(this IGrainFactory factory, int db, ReadOnlySpan<byte> key) =>
        factory.GetKeyGrain(KeyAddress.Encode(db, key));

    /// <summary>The grain whose key is <paramref name="address"/> (see <see cref="KeyAddress.Encode"/>).</summary>
    public static IKeyGrain GetKeyGrain(this IGrainFactory factory, byte[] address)
    {
        if (_types is not { } types)
        {
            var reference = (GrainReference)(object)factory.GetGrain<IKeyGrain>(new IdSpan(address));
            _types = (reference.GrainId.Type, reference.InterfaceType);
            return (IKeyGrain)reference;
        }

        return (IKeyGrain)factory.GetGrain(GrainId.Create(types.Type, new IdSpan(address)), types.Interface);
    }
}
