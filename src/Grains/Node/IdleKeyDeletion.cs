using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Notifications;
using OrleansRedis.Grains.Persistence;

namespace OrleansRedis.Grains.Node;

/// <summary>
/// Deletes an idle key (its grain not active; with the AOF off, one whose value the node keeps
/// parked) without activating its grain: its DEL is logged (AOF on), its index entry dropped and
/// its keyspace event published, with no activation
/// to replay its records first, which is most of what a deletion through the grain costs.
/// Eviction and the active expiry cycle both delete this way. A grain that activates meanwhile
/// waits for the deletion (<see cref="NodeKeyIndex.TryClaimIdle"/>), then replays it.
/// </summary>
public sealed class IdleKeyDeletion(NodeKeyIndex index, AppendOnlyFile aof, NodeTopology topology, IGrainFactory grains, NotificationSettings notifications)
{
    /// <summary>
    /// Deletes the key if it is idle and its entry still passes <paramref name="due"/>: true
    /// when deleted, false when it was not due (or gone), null when its grain must do it (the
    /// grain is active, the AOF off and the value not parked, or the key's slot moving). No event
    /// is published without <paramref name="eventName"/> (FLUSHDB, which notifies none per key).
    /// </summary>
    public async ValueTask<bool?> TryDelete(int db, byte[] key, Func<IndexEntry, bool> due, KeyspaceEventFlags type, string? eventName)
    {
        // Without the AOF only a value the node keeps (parked) is idle; any other is its grain's.
        byte[] address = KeyAddress.Encode(db, key);
        if ((!aof.Enabled && index.PeekParked(db, key) is null) || topology.IsMoving(HashSlot.Of(key)) || !index.TryClaimIdle(address))
        {
            return null;
        }

        try
        {
            if (index.Entry(db, key) is not { } entry || !due(entry))
            {
                return false;
            }

            if (aof.Enabled)
            {
                await aof.Append(db, key, Keys.KeyState.Deletion(key), replacesAll: true);
            }
            else if (index.PeekParked(db, key) is null)
            {
                return null;
            }

            index.Remove(db, key);
            if (notifications.Enabled && eventName is not null)
            {
                await KeyspaceEvents.Publish(grains, notifications.Flags, db, key, [new(type, eventName)]);
            }

            return true;
        }
        finally
        {
            index.ReleaseClaim(address);
        }
    }
}
