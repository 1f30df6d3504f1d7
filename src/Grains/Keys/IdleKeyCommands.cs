using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Commands;
using OrleansRedis.Grains.Memory;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Notifications;
using OrleansRedis.Grains.Persistence;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// Runs a command on a key whose grain is not active, without activating it, on the state a
/// freshly activated grain would have: empty for a missing key, its records replayed for an idle
/// one. The node knows a key is missing when it serves the key's slot, its index has no entry
/// (nor parked value) for it and its grain is not active: a write is answered only once indexed,
/// and one still running has its grain marked active from its activation on, so no
/// acknowledged write is hidden.
/// <list type="bullet">
/// <item>A command on a missing key that changes nothing (a read, DEL, <c>SET XX</c>, …) is
/// answered at once.</item>
/// <item>A read of an idle string key (not expired, nothing claiming it) is answered from its
/// one AOF record, or without the AOF from the value the node keeps for it, and the key stays
/// idle; not while an eviction policy tracks access times (the grain keeps them).</item>
/// <item>A write that creates the key, with the AOF on, is run under the key's idle claim (the
/// one eviction takes): its effects are appended and indexed exactly as the grain's Commit does,
/// and the key is left idle; a grain activating meanwhile waits for the claim to go, then
/// replays the records, these included. Without the AOF the node keeps the value itself (parked
/// in the index, as a key moved here is), and the grain takes it when it activates.</item>
/// </list>
/// Everything while keyspace notifications are on goes to the grain (the events are raised
/// there), as does a write over maxmemory that the evictor cannot make room for (the grain
/// answers OOM).
/// </summary>
public sealed class IdleKeyCommands(
    NodeKeyIndex index, NodeTopology topology, AppendOnlyFile aof, Evictor evictor, NotificationSettings notifications, MemorySettings memory, NodeStats stats, EncodingSettings encodings)
    : IIdleKeyCommands
{
    /// <inheritdoc/>
    public ValueTask<Reply?> TryRun(int db, KeyCommand command)
    {
        if (notifications.Enabled || command.Args.Length == 0)
        {
            return ValueTask.FromResult<Reply?>(null);
        }

        byte[] key = command.Args[0];
        int slot = HashSlot.Of(key);
        long since = topology.ServingSince(slot);
        if (since < 0)
        {
            return ValueTask.FromResult<Reply?>(null);
        }

        if (index.Entry(db, key) is { } entry)
        {
            return ValueTask.FromResult(DenyOom.Contains(command.Id) ? null : ReadIdle(db, key, slot, since, command, entry));
        }

        if (DenyOom.Contains(command.Id))
        {
            return Write(db, key, slot, since, command);
        }

        return ValueTask.FromResult(Read(db, key, slot, since, command));
    }

    // A command that may not write: its reply, if it changed nothing.
    private Reply? Read(int db, byte[] key, int slot, long since, KeyCommand command)
    {
        if (index.IsKeyGrainActive(KeyAddress.Encode(db, key)) || !TryEnter(slot, since, out var lease))
        {
            return null;
        }

        using (lease)
        {
            if (!IsMissing(db, key))
            {
                return null;
            }

            var state = new KeyState(encodings);
            var reply = KeyCommandRunner.Run(state, command, Now(), memory.IsLfu);
            if (state.Exists || state.HasChanges)
            {
                return null;
            }

            CountLookup(command, found: false);
            return reply;
        }
    }

    // A read of an idle string key, from its one record: its reply if it changed nothing.
    private Reply? ReadIdle(int db, byte[] key, int slot, long since, KeyCommand command, IndexEntry entry)
    {
        long now = Now();
        if (memory.TracksAccess || entry.Type != ValueType.String || entry.IsExpired(now))
        {
            return null;
        }

        // An active key's grain answers (the common case: checked before the slot's lease).
        byte[] address = KeyAddress.Encode(db, key);
        if (index.IsKeyGrainActive(address) || index.IsClaimed(address) || !TryEnter(slot, since, out var lease))
        {
            return null;
        }

        using (lease)
        {
            var state = new KeyState(encodings);
            if (aof.Enabled && index.Records(db, key).Length == 1)
            {
                AofReplay.Apply(state, aof.ReadCommands(db, key));
            }
            else if (!aof.Enabled && index.PeekParked(db, key) is { } parked)
            {
                state.Load(parked);
            }
            else
            {
                return null;
            }

            state.LastAccessMs = now; // as an activation sets it (see docs/compatibility.md, OBJECT IDLETIME)
            if (!state.Exists || state.IsExpired(now))
            {
                return null;
            }

            state.ResetChanges();
            var reply = KeyCommandRunner.Run(state, command, now, memory.IsLfu);
            if (state.HasChanges)
            {
                return null;
            }

            CountLookup(command, found: true);
            return reply;
        }
    }

    // A command that may create the key: logged and indexed under the key's idle claim.
    private async ValueTask<Reply?> Write(int db, byte[] key, int slot, long since, KeyCommand command)
    {
        // As the grain does before a write that may need memory (see Evictor.MakeRoom).
        if (!await evictor.MakeRoom())
        {
            return null;
        }

        byte[] address = KeyAddress.Encode(db, key);
        if (!index.TryClaimIdle(address))
        {
            return null;
        }

        try
        {
            Reply reply;
            ValueTask logged;
            if (!TryEnter(slot, since, out var lease))
            {
                return null;
            }

            using (lease)
            {
                if (!IsMissing(db, key) || !evictor.Admit())
                {
                    return null;
                }

                var state = new KeyState(encodings);
                long now = Now();
                reply = KeyCommandRunner.Run(state, command, now, memory.IsLfu);
                if (!state.Exists)
                {
                    // A write that left the key missing is answered; anything else odd goes to the grain.
                    if (state.HasChanges)
                    {
                        return null;
                    }

                    CountLookup(command, found: false);
                    return reply;
                }

                CountLookup(command, found: false);
                if (aof.Enabled)
                {
                    var effects = state.Effects(key, out bool replacesAll);
                    logged = effects.Count > 0 ? aof.Append(db, key, effects, replacesAll) : ValueTask.CompletedTask;
                }
                else
                {
                    // Nothing else would hold the value: the index keeps it until the grain takes it.
                    index.Park(db, key, state.ToSnapshot()!);
                    logged = ValueTask.CompletedTask;
                }

                bool evicting = memory.TracksAccess;
                index.Set(db, key, new IndexEntry(
                    state.Type,
                    state.ExpireAtMs,
                    MemoryEstimate.Of(key.Length, state),
                    evicting ? (uint)(now / 1000) : 0,
                    evicting ? state.Frequency : (byte)0));
            }

            // The claim holds until the records are written: an activation waits for it, then reads them.
            await logged;
            return reply;
        }
        finally
        {
            index.ReleaseClaim(address);
        }
    }

    private bool IsMissing(int db, byte[] key) => index.Entry(db, key) is null && index.PeekParked(db, key) is null;

    private bool TryEnter(int slot, long since, out NodeTopology.Lease lease)
    {
        try
        {
            lease = topology.Enter(slot, since);
            return true;
        }
        catch (SlotUnavailableException)
        {
            lease = default;
            return false;
        }
    }

    private void CountLookup(KeyCommand command, bool found)
    {
        if (KeyspaceEvents.CountsLookup(command.Id))
        {
            stats.Lookup(found);
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
