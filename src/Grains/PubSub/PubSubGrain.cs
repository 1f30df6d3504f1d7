using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Grains.PubSub;

/// <summary>
/// The pub/sub switchboard: knows every RESP server's listener and fans each PUBLISH out to
/// all of them. Not reentrant, so messages reach every server in the order they were published
/// (registrations interleave). Its listeners are not stored: every RESP server registers again
/// every second, so a new activation (after the silo that held the grain died) waits that long,
/// plus a margin, before it delivers anything, rather than answering 0 and dropping messages.
/// </summary>
[GrainType("pubsub")]
public sealed class PubSubGrain(ILogger<PubSubGrain> logger) : Grain, IPubSubGrain
{
    /// <summary>How long a listener stays registered without a refresh.</summary>
    public static readonly TimeSpan ListenerLease = TimeSpan.FromSeconds(10);

    /// <summary>How often every RESP server registers its listener again.</summary>
    public static readonly TimeSpan ListenerRefresh = TimeSpan.FromSeconds(1);

    // A new activation knows its listeners once each has refreshed once.
    private static readonly TimeSpan WarmUp = ListenerRefresh * 1.5;

    private readonly Dictionary<IPubSubListener, DateTime> _listeners = [];
    private readonly DateTime _activatedAt = DateTime.UtcNow;

    /// <inheritdoc/>
    public Task Register(IPubSubListener listener)
    {
        _listeners[listener] = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task Unregister(IPubSubListener listener)
    {
        _listeners.Remove(listener);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<long> Publish(byte[] channel, byte[] message)
    {
        var counts = await AskAll(listener => listener.Deliver(channel, message));
        return counts.Sum();
    }

    /// <inheritdoc/>
    /// <inheritdoc/>
    public async Task PublishMany(byte[][] channels, byte[][] messages)
    {
        for (int i = 0; i < channels.Length; i++)
        {
            await AskAll(listener => listener.Deliver(channels[i], messages[i]));
        }
    }

    public async Task<byte[][]> Channels(byte[]? pattern)
    {
        var perServer = await AskAll(listener => listener.Channels());
        return perServer.SelectMany(c => c)
            .Where(c => pattern is null || Abstractions.Text.Glob.IsMatch(pattern, c))
            .Distinct(ByteArrayComparer.Instance)
            .ToArray();
    }

    /// <inheritdoc/>
    public async Task<long[]> NumSub(byte[][] channels)
    {
        var perServer = await AskAll(listener => listener.NumSub(channels));
        return Enumerable.Range(0, channels.Length).Select(i => perServer.Sum(counts => counts[i])).ToArray();
    }

    /// <inheritdoc/>
    public async Task<long> NumPat()
    {
        var perServer = await AskAll(listener => listener.Patterns());
        return perServer.SelectMany(p => p).Distinct(ByteArrayComparer.Instance).LongCount();
    }

    // Asks every live listener; one that fails or has not refreshed its lease is dropped.
    private async Task<List<T>> AskAll<T>(Func<IPubSubListener, Task<T>> ask)
    {
        var warm = _activatedAt + WarmUp - DateTime.UtcNow;
        if (warm > TimeSpan.Zero)
        {
            await Task.Delay(warm);
        }

        var expired = DateTime.UtcNow - ListenerLease;
        foreach (var stale in _listeners.Where(l => l.Value < expired).Select(l => l.Key).ToList())
        {
            _listeners.Remove(stale);
        }

        var listeners = _listeners.Keys.ToList();
        var calls = listeners.Select(ask).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception)
        {
            // Inspected per call below.
        }

        var results = new List<T>(calls.Count);
        for (int i = 0; i < calls.Count; i++)
        {
            if (calls[i].IsCompletedSuccessfully)
            {
                results.Add(calls[i].Result);
            }
            else
            {
                logger.LogWarning(calls[i].Exception, "Dropping a pub/sub listener that did not answer");
                _listeners.Remove(listeners[i]);
            }
        }

        return results;
    }
}
