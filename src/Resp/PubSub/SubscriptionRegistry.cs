using System.Collections.Concurrent;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Connection;

namespace OrleansRedis.Resp.PubSub;

/// <summary>Which of this server's clients subscribe to which channels and patterns, and delivery to them.</summary>
public sealed class SubscriptionRegistry
{
    private readonly ConcurrentDictionary<byte[], ConcurrentDictionary<ClientConnection, byte>> _channels = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], ConcurrentDictionary<ClientConnection, byte>> _patterns = new(ByteArrayComparer.Instance);

    /// <summary>Subscribes <paramref name="client"/> to a channel (or pattern); false if it already was.</summary>
    public bool Add(ClientConnection client, byte[] name, bool pattern)
    {
        bool added = (pattern ? client.Patterns : client.Channels).Add(name);
        (pattern ? _patterns : _channels).GetOrAdd(name, _ => new())[client] = 0;
        return added;
    }

    /// <summary>Unsubscribes <paramref name="client"/> from a channel (or pattern); false if it was not subscribed.</summary>
    public bool Remove(ClientConnection client, byte[] name, bool pattern)
    {
        bool removed = (pattern ? client.Patterns : client.Channels).Remove(name);
        var map = pattern ? _patterns : _channels;
        if (map.TryGetValue(name, out var clients))
        {
            clients.TryRemove(client, out _);
            if (clients.IsEmpty)
            {
                map.TryRemove(KeyValuePair.Create(name, clients));
            }
        }

        return removed;
    }

    /// <summary>Drops every subscription of a client that disconnected.</summary>
    public void RemoveAll(ClientConnection client)
    {
        foreach (var channel in client.Channels.ToList())
        {
            Remove(client, channel, pattern: false);
        }

        foreach (var pattern in client.Patterns.ToList())
        {
            Remove(client, pattern, pattern: true);
        }
    }

    /// <summary>Delivers a message to this server's subscribers; returns how many received it.</summary>
    public async Task<long> Deliver(byte[] channel, byte[] message)
    {
        long receivers = 0;
        var deliveries = new List<ValueTask>();
        if (_channels.TryGetValue(channel, out var direct))
        {
            var push = new PushReply([Reply.Bulk("message"), new BulkReply(channel), new BulkReply(message)]);
            foreach (var client in direct.Keys)
            {
                deliveries.Add(client.SendAsync(push));
                receivers++;
            }
        }

        foreach (var (pattern, clients) in _patterns)
        {
            if (!Glob.IsMatch(pattern, channel))
            {
                continue;
            }

            var push = new PushReply([Reply.Bulk("pmessage"), new BulkReply(pattern), new BulkReply(channel), new BulkReply(message)]);
            foreach (var client in clients.Keys)
            {
                deliveries.Add(client.SendAsync(push));
                receivers++;
            }
        }

        foreach (var delivery in deliveries)
        {
            await delivery;
        }

        return receivers;
    }

    /// <summary>Channels with at least one subscriber here.</summary>
    public byte[][] Channels() => _channels.Where(c => !c.Value.IsEmpty).Select(c => c.Key).ToArray();

    /// <summary>Patterns with at least one subscriber here.</summary>
    public byte[][] Patterns() => _patterns.Where(p => !p.Value.IsEmpty).Select(p => p.Key).ToArray();

    /// <summary>Subscribers here of each channel.</summary>
    public long[] NumSub(byte[][] channels) =>
        channels.Select(c => _channels.TryGetValue(c, out var clients) ? (long)clients.Count : 0).ToArray();
}
