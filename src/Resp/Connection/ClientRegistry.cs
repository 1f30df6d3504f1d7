using System.Collections.Concurrent;

namespace OrleansRedis.Resp.Connection;

/// <summary>The clients connected to one RESP server (CLIENT LIST, CLIENT KILL, INFO clients).</summary>
public sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<long, ClientConnection> _clients = new();
    private long _lastId;

    /// <summary>A new client id: increasing, never reused, as Redis's.</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Every connected client, by id.</summary>
    public IEnumerable<ClientConnection> All => _clients.Values.OrderBy(c => c.Id);

    /// <summary>Number of connected clients.</summary>
    public int Count => _clients.Count;

    /// <summary>Adds a client.</summary>
    public void Add(ClientConnection client) => _clients[client.Id] = client;

    /// <summary>Removes a client.</summary>
    public void Remove(ClientConnection client) => _clients.TryRemove(client.Id, out _);
}
