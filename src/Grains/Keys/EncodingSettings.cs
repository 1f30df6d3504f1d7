using OrleansRedis.Abstractions.Grains;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// The node's encoding thresholds (<see cref="EncodingThresholds"/>), as the silo was started
/// with them or as CONFIG SET last sent them to every node; key states read them as collections grow.
/// </summary>
public sealed class EncodingSettings
{
    private volatile EncodingThresholds _current = EncodingThresholds.Default;

    /// <summary>The thresholds in force.</summary>
    public EncodingThresholds Current
    {
        get => _current;
        set => _current = value;
    }
}
