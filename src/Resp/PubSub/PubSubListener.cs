using OrleansRedis.Abstractions.Grains;

namespace OrleansRedis.Resp.PubSub;

/// <summary>This server's end of cluster pub/sub: the pub/sub grain calls it to deliver messages and to count subscribers.</summary>
public sealed class PubSubListener(SubscriptionRegistry subscriptions) : IPubSubListener
{
    /// <inheritdoc/>
    public Task<long> Deliver(byte[] channel, byte[] message) => subscriptions.Deliver(channel, message);

    /// <inheritdoc/>
    public Task<byte[][]> Channels() => Task.FromResult(subscriptions.Channels());

    /// <inheritdoc/>
    public Task<long[]> NumSub(byte[][] channels) => Task.FromResult(subscriptions.NumSub(channels));

    /// <inheritdoc/>
    public Task<byte[][]> Patterns() => Task.FromResult(subscriptions.Patterns());
}
