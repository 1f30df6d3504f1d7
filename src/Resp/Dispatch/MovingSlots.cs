using OrleansRedis.Abstractions.Cluster;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>
/// While a slot moves between nodes its key grains refuse commands (the command did nothing).
/// Gateways retry such a call for a few seconds, so a client sees a node change as a short
/// pause; after that it gets <c>-TRYAGAIN</c>.
/// </summary>
public static class MovingSlots
{
    /// <summary>How many times a refused call is retried.</summary>
    public const int Retries = 60;

    /// <summary>The pause before each retry.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether a call that failed with <paramref name="exception"/> on its <paramref name="attempt"/>th try (from 0) should be retried.</summary>
    public static bool ShouldRetry(Exception exception, int attempt) =>
        attempt < Retries && SlotUnavailableException.From(exception) is { Moving: true };
}
