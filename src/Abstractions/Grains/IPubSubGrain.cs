namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// The cluster's pub/sub switchboard (grain key 0). Every RESP server registers a
/// <see cref="IPubSubListener"/>; PUBLISH reaches the subscribers of every server through it.
/// </summary>
public interface IPubSubGrain : IGrainWithIntegerKey
{
    /// <summary>Registers or refreshes a server's listener; a listener not refreshed for a while is dropped.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task Register(IPubSubListener listener);

    /// <summary>Removes a server's listener.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task Unregister(IPubSubListener listener);

    /// <summary>Delivers a message to every subscriber on every server; returns how many received it.</summary>
    Task<long> Publish(byte[] channel, byte[] message);

    /// <summary>Publishes several messages in order (the keyspace notifications of one command).</summary>
    Task PublishMany(byte[][] channels, byte[][] messages);

    /// <summary>Channels with at least one subscriber, matching <paramref name="pattern"/> when given.</summary>
    Task<byte[][]> Channels(byte[]? pattern);

    /// <summary>Subscriber counts of each channel.</summary>
    Task<long[]> NumSub(byte[][] channels);

    /// <summary>Number of distinct patterns subscribed to.</summary>
    Task<long> NumPat();
}

/// <summary>A RESP server's end of pub/sub: it knows that server's subscribed connections.</summary>
public interface IPubSubListener : IGrainObserver
{
    /// <summary>Delivers a message to this server's matching subscribers; returns how many received it.</summary>
    [ResponseTimeout("00:00:05")]
    Task<long> Deliver(byte[] channel, byte[] message);

    /// <summary>This server's channels with subscribers.</summary>
    [ResponseTimeout("00:00:05")]
    Task<byte[][]> Channels();

    /// <summary>This server's subscriber counts for <paramref name="channels"/>.</summary>
    [ResponseTimeout("00:00:05")]
    Task<long[]> NumSub(byte[][] channels);

    /// <summary>This server's subscribed patterns.</summary>
    [ResponseTimeout("00:00:05")]
    Task<byte[][]> Patterns();
}
