using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Keys;
using OrleansRedis.Grains.Persistence;

namespace OrleansRedis.Grains.Node;

/// <summary>The node's part in node-set changes (see <see cref="ITopologyGrain"/>).</summary>
public sealed partial class NodeGrain
{
    // Keys per Import call.
    private const int TransferBatch = 500;

    /// <inheritdoc/>
    public ValueTask<Topology> Topology() => ValueTask.FromResult(topology.Current);

    /// <inheritdoc/>
    public ValueTask Prepare(NodeSet next)
    {
        topology.Prepare(next);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<long> Transfer(NodeSet next, Dictionary<string, string> silos)
    {
        if (topology.Current.Pending?.Epoch != next.Epoch)
        {
            throw new InvalidOperationException($"Node {topology.Name} is not prepared for {next}.");
        }

        // Prepare waited for every command inside a moving slot; their records may still be queued.
        await aof.WaitForWrites();
        long moved = 0;
        var batches = new Dictionary<string, List<KeyTransfer>>();
        foreach (var (db, key, owner) in Leaving(slot => topology.Owns(slot) ? topology.PendingOwnerOf(slot) : null))
        {
            // The pending set is `next` (checked above): its owners are worked out already.
            if (await ValueOf(db, key) is not { } value)
            {
                continue;
            }

            if (!batches.TryGetValue(owner, out var batch))
            {
                batches[owner] = batch = [];
            }

            batch.Add(new KeyTransfer(db, key, value));
            moved++;
            if (batch.Count >= TransferBatch)
            {
                await Send(owner, batch, silos);
            }
        }

        foreach (var (owner, batch) in batches)
        {
            await Send(owner, batch, silos);
        }

        LogTransferred(logger, topology.Name, moved, next.ToString());
        return moved;
    }

    /// <inheritdoc/>
    public async ValueTask Import(KeyTransfer[] keys)
    {
        foreach (var transfer in keys)
        {
            var state = new KeyState();
            state.Load(transfer.Value);
            if (aof.Enabled)
            {
                _ = aof.Append(transfer.Db, transfer.Key, state.Effects(transfer.Key, out _), replacesAll: true);
            }
            else
            {
                index.Park(transfer.Db, transfer.Key, transfer.Value);
            }

            index.Set(transfer.Db, transfer.Key, new IndexEntry(
                state.Type, state.ExpireAtMs, OrleansRedis.Grains.Memory.MemoryEstimate.Of(transfer.Key.Length, state), (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), OrleansRedis.Grains.Memory.Lfu.Initial));
        }

        if (aof.Enabled)
        {
            // The old owner drops its copy once the change commits: this one must be on disk first.
            await aof.WaitForWrites();
            await aof.Sync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask Commit(NodeSet next)
    {
        topology.Commit(next);
        long dropped = 0;
        foreach (var (db, key, _) in Leaving(topology.OwnerOf))
        {
            if (aof.Enabled)
            {
                _ = aof.Append(db, key, KeyState.Deletion(key), replacesAll: true);
            }

            index.Remove(db, key);
            dropped++;
        }

        if (aof.Enabled && dropped > 0)
        {
            await aof.WaitForWrites();
        }

        if (dropped > 0)
        {
            LogDropped(logger, topology.Name, dropped, topology.Current.Committed.ToString());
        }
    }

    // The key's whole value as it is now, or null when it does not exist.
    private async ValueTask<KeySnapshot?> ValueOf(int db, byte[] key)
    {
        if (aof.Enabled)
        {
            var state = new KeyState();
            AofReplay.Apply(state, aof.ReadCommands(db, key));
            return state.Exists && !state.IsExpired(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) ? state.ToSnapshot() : null;
        }

        // Without an AOF the value is in the key's active grain, or parked here after an earlier
        // move; a grain that is not active (its slot refuses new activations) has no value.
        if (index.PeekParked(db, key) is { } parked)
        {
            return parked;
        }

        try
        {
            return await GrainFactory.GetKeyGrain(db, key).Handoff();
        }
        catch (SlotUnavailableException)
        {
            return null;
        }
    }

    private async Task Send(string owner, List<KeyTransfer> batch, Dictionary<string, string> silos)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (!silos.TryGetValue(owner, out string? silo))
        {
            throw new InvalidOperationException($"Node {owner} is not up; its keys cannot move to it.");
        }

        await GrainFactory.GetGrain<INodeGrain>(silo).Import([.. batch]);
        batch.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} copied {Keys} keys to their new owners for {NodeSet}")]
    private static partial void LogTransferred(ILogger logger, string node, long keys, string nodeSet);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} dropped {Keys} keys it no longer owns in {NodeSet}")]
    private static partial void LogDropped(ILogger logger, string node, long keys, string nodeSet);

    // The keys whose slot ownerOf gives to another node, with that node: only those are kept
    // (a List, not ToArray, whose pooled scratch arrays for a whole keyspace would stay pooled).
    private List<(int Db, byte[] Key, string Owner)> Leaving(Func<int, string?> ownerOf)
    {
        var leaving = new List<(int Db, byte[] Key, string Owner)>();
        foreach (var (db, key, _) in index.Entries())
        {
            if (ownerOf(HashSlot.Of(key)) is { } owner && owner != topology.Name)
            {
                leaving.Add((db, key, owner));
            }
        }

        return leaving;
    }
}
