using System.Collections.Concurrent;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Connection;

namespace OrleansRedis.Resp.Blocking;

/// <summary>
/// This RESP server's blocked clients, and its end of the key grains' waiter lists: grains
/// claim and deliver through it (<see cref="IBlockedClientsListener"/>). Every second it checks
/// each wait: a client that disconnected ends; a key grain that no longer keeps the waiter (it
/// was activated anew: its node died, its slot moved) gets it again, and a key whose node is
/// down ends the wait with the error the command would get.
/// </summary>
public sealed class BlockedClients : IBlockedClientsListener
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<long, BlockedWait> _waits = new();
    private readonly ConcurrentDictionary<long, BlockedWait> _byClient = new();
    private readonly IGrainFactory _grains;
    private IBlockedClientsListener? _reference;
    private long _lastId = Random.Shared.NextInt64(1, long.MaxValue / 2);

    /// <summary>Creates the registry of a server that reaches grains through <paramref name="grains"/>.</summary>
    public BlockedClients(IGrainFactory grains) => _grains = grains;

    /// <summary>How many clients are blocked (INFO's blocked_clients): waiting on all their keys.</summary>
    public int Count => _waits.Values.Count(w => w.Registered);

    /// <summary>The reference key grains call back on (created at first use; this object keeps it alive).</summary>
    public IBlockedClientsListener Reference => _reference ??= _grains.CreateObjectReference<IBlockedClientsListener>(this);

    /// <summary>Whether <paramref name="clientId"/> is blocked (CLIENT LIST's flag b).</summary>
    public bool IsBlocked(long clientId) => _byClient.TryGetValue(clientId, out var wait) && wait.Registered;

    /// <summary>Starts a wait of <paramref name="client"/> on <paramref name="keys"/>.</summary>
    public BlockedWait Begin(ClientConnection client, byte[][] keys, Reply onTimeout)
    {
        var wait = new BlockedWait(Interlocked.Increment(ref _lastId), client, keys, onTimeout);
        _waits[wait.Id] = wait;
        _byClient[client.Id] = wait; // a client runs one command at a time, so blocks in one at most
        return wait;
    }

    /// <summary>Ends a wait's registration here (its grains are told by the caller).</summary>
    public void End(BlockedWait wait)
    {
        _waits.TryRemove(wait.Id, out _);
        _byClient.TryRemove(new KeyValuePair<long, BlockedWait>(wait.Client.Id, wait));
    }

    /// <summary>CLIENT UNBLOCK: ends the wait of <paramref name="clientId"/> with <paramref name="error"/>, or as a timeout when null.</summary>
    public bool Unblock(long clientId, ErrorReply? error) =>
        _byClient.TryGetValue(clientId, out var wait) && wait.Registered && wait.TryEnd(error ?? wait.OnTimeout);

    /// <inheritdoc/>
    public Task<bool> Claim(long waiterId) => Task.FromResult(_waits.TryGetValue(waiterId, out var wait) && wait.TryClaim());

    /// <inheritdoc/>
    public Task Deliver(long waiterId, byte[] key, Reply reply)
    {
        if (_waits.TryGetValue(waiterId, out var wait))
        {
            wait.Deliver(key, reply);
        }

        return Task.CompletedTask;
    }

    /// <summary>Checks every wait each second until <paramref name="stopping"/> (see the class summary).</summary>
    public async Task CheckWaits(Func<BlockedWait, Task> check, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                foreach (var wait in _waits.Values.Where(w => w.Registered && w.IsWaiting).ToList())
                {
                    if (wait.Client.PeerHasClosed)
                    {
                        wait.TryEnd(NoReply.Instance);
                        continue;
                    }

                    _ = check(wait);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
