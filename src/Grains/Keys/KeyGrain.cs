using Orleans.Placement;
using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Commands;
using OrleansRedis.Grains.Memory;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Notifications;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Grains.Placement;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// One key: its value, its expiry, and the commands on it, run one at a time. It replays its
/// records from the node's AOF when it activates, appends the effects of every write (and
/// with appendfsync always answers only once they are on disk), keeps the node's key index
/// current, and removes the key itself when it expires. Without an AOF it stays active while
/// the key exists, since nothing could bring the value back. Every command first enters the
/// key's slot (<see cref="NodeTopology.Enter"/>): once the slot moves away, or has moved away
/// and back since this activation began, the grain refuses commands and deactivates.
/// </summary>
[GrainType("key")]
[SlotPlacement]
[Immovable] // never moved by Orleans' repartitioner or rebalancer; only MigrateOnIdle to its slot's owner
public sealed partial class KeyGrain(NodeKeyIndex index, AppendOnlyFile aof, NodeTopology topology, Evictor evictor, MemorySettings memory, NotificationSettings notifications, NodeStats stats, EncodingSettings encodings) : Grain, IKeyGrain
{
    private readonly KeyState _state = new(encodings);
    private List<KeyspaceEvent>? _events;
    private int _db;
    private byte[] _key = [];
    private byte[] _address = [];
    private int _slot;
    private long _servingSince;
    private IndexEntry _indexed;
    private IGrainTimer? _expiryTimer;
    private long _timerDueAt;
    private bool _existedWhileActive;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _address = this.GetGrainId().Key.AsSpan().ToArray();
        _db = KeyAddress.Decode(_address, out var key);
        _key = key.ToArray();
        _slot = HashSlot.Of(_key);
        _servingSince = topology.ServingSince(_slot);
        index.KeyGrainActive(_address, true);
        if (_servingSince < 0)
        {
            // Not this node's key (a caller's stale address, or a view that differs from this
            // node's): it loads nothing, and its first call moves it on (see EnterSlot).
            return;
        }

        // The node may be writing the idle key without its grain (an eviction's DEL, the first
        // write of a new key): load what it leaves, once it is done.
        while (index.IsClaimed(_address))
        {
            await Task.Delay(1, cancellationToken);
        }

        if (index.TakeParked(_db, _key) is { } parked)
        {
            // Without an AOF: the value came with a slot move, or the node wrote the new key.
            _state.Load(parked);
            await Commit();
        }
        else if (aof.Enabled)
        {
            // No wait for the writer: every record of this key is indexed before the call that
            // wrote it returned (Append completes after the write and its indexing), so a
            // previous activation, which deactivates only once idle, left none on the way; and
            // slot moves wait for their writes before the slot serves again.
            AofReplay.Apply(_state, aof.ReadCommands(_db, _key));
            _state.LastAccessMs = Now();
            _indexed = new IndexEntry(_state.Type, _state.ExpireAtMs);
            if (index.Entry(_db, _key) is { } entry)
            {
                // The LFU counter outlives the activation, as it outlives nothing in Redis's memory.
                (_state.Frequency, _state.FrequencyMinute) = (entry.Frequency, entry.AccessSeconds / 60);
            }
            ScheduleExpiry();
        }
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        index.KeyGrainActive(_address, false);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<Reply> Execute(KeyCommand command)
    {
        Reply reply;
        ValueTask logged;
        bool room = !DenyOom.Contains(command.Id) || await evictor.MakeRoom();
        using (EnterSlot())
        {
            reply = room ? RunOrRefuse(command, Now()) : Errors.OutOfMemory;
            logged = Commit();
        }

        await logged;
        await PublishEvents();
        await ServeWaiters();
        LetGoIfMemoryIsShort();
        LetGoIfMissing();
        return reply;
    }

    /// <inheritdoc/>
    public async ValueTask<Reply[]> ExecuteBatch(KeyCommand[] commands)
    {
        var replies = new Reply[commands.Length];
        if (HasWaiters)
        {
            // Blocked clients are served after each command, as Redis serves them, not after the batch.
            for (int i = 0; i < commands.Length; i++)
            {
                replies[i] = await Execute(commands[i]);
            }

            return replies;
        }

        ValueTask logged;
        bool room = !commands.Any(c => DenyOom.Contains(c.Id)) || await evictor.MakeRoom();
        using (EnterSlot())
        {
            for (int i = 0; i < commands.Length; i++)
            {
                replies[i] = room || !DenyOom.Contains(commands[i].Id) ? RunOrRefuse(commands[i], Now()) : Errors.OutOfMemory;
            }

            logged = Commit();
        }

        await logged;
        await PublishEvents();
        LetGoIfMemoryIsShort();
        LetGoIfMissing();
        return replies;
    }

    // Over maxmemory with the AOF on, a grain lets itself go once its call is answered: its
    // activation is most of what a key costs, and its records bring it back when next needed.
    private void LetGoIfMemoryIsShort()
    {
        if (aof.Enabled && evictor.OverShare && !HasWaiters)
        {
            DeactivateOnIdle();
        }
    }

    // A grain activated for a key that does not exist, and that its commands left missing (reads
    // of a missing key, through a gateway), holds nothing: it goes at once rather than after the
    // idle timeout, so that misses on many keys do not pile up activations. One that held the key
    // stays as before (a key deleted and written again, as a lock is, keeps its activation).
    private void LetGoIfMissing()
    {
        if (!_existedWhileActive && !_state.Exists && !HasWaiters)
        {
            DeactivateOnIdle();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<Reply> Move(KeyCommand pop, byte[] destination, CommandId push)
    {
        // LMOVE may grow memory, so it is refused over maxmemory as Redis refuses it; SMOVE is not (as in Redis).
        bool mayGrow = push != CommandId.SAdd;
        bool room = !mayGrow || (await evictor.MakeRoom() && evictor.Admit());
        bool sameKey = destination.AsSpan().SequenceEqual(_key);

        // Reserved before the pop, so that no other record of this key comes between the pop and its transaction.
        using var transaction = aof.Enabled && !sameKey ? await aof.BeginTransaction() : null;
        Reply popped;
        Captured mine;
        byte[]? element;
        long expireAtMs;
        using (EnterSlot())
        {
            expireAtMs = _state.IsExpired(Now()) ? 0 : _state.ExpireAtMs;
            popped = room ? RunOrRefuse(pop, Now()) : Errors.OutOfMemory;
            element = pop.Id == CommandId.SRem
                ? popped is IntegerReply { Value: 1 } ? pop.Args[1] : null
                : (popped as BulkReply)?.Value;
            if (element is not null && sameKey)
            {
                // LMOVE k k: a rotation, both halves in this grain's records.
                RunOrRefuse(new KeyCommand(push, [_key, element]), Now(), admitted: true);
            }

            mine = Capture();
        }

        if (element is null || sameKey)
        {
            // Nothing to open: the next transaction may begin (before any call that could wait for it).
            transaction?.Dispose();
            await Append(mine);
            await PublishEvents();
            return pop.Id == CommandId.SRem && popped is IntegerReply { Value: 0 } && _state.Type == ValueType.Set
                ? await DestinationRefuses(destination) ?? popped
                : popped;
        }

        var opened = transaction is null ? ValueTask.CompletedTask : transaction.Open(_db, _key, mine.Records ?? [], mine.ReplacesAll);

        // Both keys on this node: the destination's records close the transaction. Across nodes
        // the destination logs its half on its own node first, then this half is written (see
        // docs/compatibility.md: a crash of this node in between leaves the element in both).
        bool together = transaction is not null && topology.OwnerOf(HashSlot.Of(destination)) == topology.Name;
        var target = GrainFactory.GetKeyGrain(_db, destination);
        Reply received;
        try
        {
            received = await target.Receive(new KeyCommand(push, [destination, element]), together ? transaction!.Id : 0);
        }
        catch
        {
            await PutBack(pop, element, expireAtMs, transaction);
            await opened;
            throw;
        }

        if (received is ErrorReply)
        {
            await PutBack(pop, element, expireAtMs, transaction);
        }
        else if (!together && transaction is not null)
        {
            await transaction.Close(_db, _key, [], replacesAll: false);
        }

        await opened;
        await PublishEvents();
        return received is ErrorReply ? received : pop.Id == CommandId.SRem ? popped : new BulkReply(element);
    }

    /// <inheritdoc/>
    public async ValueTask<Reply> Receive(KeyCommand push, long transaction)
    {
        // Admitted by the source, which popped already: refusing now would only put the element back.
        Reply reply;
        Captured captured;
        using (EnterSlot())
        {
            reply = RunOrRefuse(push, Now(), admitted: true);
            captured = Capture();
        }

        if (transaction != 0 && reply is not ErrorReply)
        {
            // The source waits for its transaction, which this closes (even with no records, as
            // an SADD of a member already there), to be written; a refusal is closed by the source.
            _ = aof.AppendClosing(transaction, _db, _key, captured.Records ?? [], captured.ReplacesAll);
        }
        else
        {
            await Append(captured);
        }

        try
        {
            await PublishEvents();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The element is here and logged: a failure to notify must not make the source put it back too.
        }

        ServeWaitersLater();
        return reply;
    }

    // SMOVE of a member the source lacks still answers WRONGTYPE for a destination of another type, as Redis checks both first.
    private async Task<Reply?> DestinationRefuses(byte[] destination)
    {
        // Through Receive, which interleaves: two such checks in opposite directions must not wait on each other.
        var type = await GrainFactory.GetKeyGrain(_db, destination).Receive(new KeyCommand(CommandId.Type, [destination]), transaction: 0);
        return type is StatusReply { Value: "none" or "set" } ? null : Errors.WrongType;
    }

    // The destination refused (WRONGTYPE) or could not be reached: the element goes back where
    // it came from, with the key's expiry if taking it had emptied the key, closing the
    // transaction; the pop's events are not published.
    private async Task PutBack(KeyCommand pop, byte[] element, long expireAtMs, AppendOnlyFile.Transaction? transaction)
    {
        _events = null;
        var back = pop.Id switch
        {
            CommandId.LPop => CommandId.LPush,
            CommandId.RPop => CommandId.RPush,
            _ => CommandId.SAdd,
        };
        Captured restored;
        using (EnterSlot())
        {
            KeyCommandRunner.Run(_state, new KeyCommand(back, [_key, element]), Now(), memory.IsLfu);
            _state.ExpireAtMs = expireAtMs;
            restored = Capture();
        }

        await (transaction is null ? Append(restored) : transaction.Close(_db, _key, restored.Records ?? [], restored.ReplacesAll));
    }

    /// <inheritdoc/>
    public async ValueTask<KeySnapshot?> Export(bool remove)
    {
        KeySnapshot? snapshot;
        ValueTask logged;
        using (EnterSlot())
        {
            ExpireIfDue(Now());
            snapshot = _state.ToSnapshot();
            if (remove)
            {
                _state.Clear();
            }

            logged = Commit();
        }

        await logged;
        await PublishEvents();
        return snapshot;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> Import(KeySnapshot snapshot, bool replace)
    {
        bool stored;
        ValueTask logged;
        using (EnterSlot())
        {
            ExpireIfDue(Now());
            bool existed = _state.Exists;
            stored = !existed || replace;
            if (stored)
            {
                _state.Load(snapshot);
                if (!existed)
                {
                    Raise(KeyspaceEventFlags.New, "new");
                }
            }

            logged = Commit();
        }

        await logged;
        await PublishEvents();
        await ServeWaiters();
        return stored;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> Delete()
    {
        bool existed;
        ValueTask logged;
        using (EnterSlot())
        {
            ExpireIfDue(Now());
            existed = _state.Exists;
            _state.Clear();
            logged = Commit();
        }

        await logged;
        await PublishEvents();
        return existed;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> Evict()
    {
        bool existed = await Delete();
        if (existed)
        {
            Raise(KeyspaceEventFlags.Evicted, "evicted");
            await PublishEvents();
        }

        DeactivateOnIdle();
        return existed;
    }

    /// <inheritdoc/>
    public ValueTask Deactivate()
    {
        // Only with the AOF, which brings the value back at the next activation.
        if (aof.Enabled)
        {
            DeactivateOnIdle();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<KeySnapshot?> Handoff() => ValueTask.FromResult(_state.IsExpired(Now()) ? null : _state.ToSnapshot());

    // Enters the key's slot for one command, or refuses it and lets the activation go (the
    // slot is moving or has moved: the next call is placed anew).
    private NodeTopology.Lease EnterSlot()
    {
        try
        {
            return topology.Enter(_slot, _servingSince);
        }
        catch (SlotUnavailableException)
        {
            // While the slot moves the activation stays (without an AOF it holds the only copy
            // until the move has taken it). Once another node owns the slot, migrating (rather
            // than deactivating) lets Orleans re-place the grain there and correct the callers'
            // cached address of this one; once the slot has left and come back, this activation's
            // value is stale and it goes.
            if (topology.IsMoving(_slot))
            {
                throw;
            }

            if (topology.OwnerOf(_slot) is { } owner && owner != topology.Name)
            {
                this.MigrateOnIdle();
            }
            else
            {
                DeactivateOnIdle();
            }

            throw;
        }
    }

    // Over maxmemory, a command that may grow memory is refused when nothing can be evicted.
    // With keyspace notifications on, the command's events are noted for PublishEvents.
    private Reply RunOrRefuse(KeyCommand command, long nowMs, bool admitted = false)
    {
        if (!admitted && DenyOom.Contains(command.Id) && !evictor.Admit())
        {
            return Errors.OutOfMemory;
        }

        if (_state.Exists && _state.IsExpired(nowMs))
        {
            // Run removes it first (passive expiry).
            stats.Expired();
            Raise(KeyspaceEventFlags.Expired, "expired");
        }

        bool existed = _state.Exists && !_state.IsExpired(nowMs);
        if (KeyspaceEvents.CountsLookup(command.Id))
        {
            stats.Lookup(found: existed);
        }

        if (!notifications.Enabled)
        {
            return KeyCommandRunner.Run(_state, command, nowMs, memory.IsLfu);
        }

        long version = _state.Version;
        var reply = KeyCommandRunner.Run(_state, command, nowMs, memory.IsLfu);
        KeyspaceEvents.Add(_events ??= [], command, reply, existed, _state.Exists, _state.Version != version, _state.ExpireAtMs);
        return reply;
    }

    private void Raise(KeyspaceEventFlags eventClass, string name)
    {
        if (notifications.Enabled)
        {
            (_events ??= []).Add(new KeyspaceEvent(eventClass, name));
        }
    }

    // Published before the command is answered, as Redis notifies within the command.
    private Task PublishEvents()
    {
        if (_events is not { Count: > 0 } events)
        {
            return Task.CompletedTask;
        }

        _events = null;
        return KeyspaceEvents.Publish(GrainFactory, notifications.Flags, _db, _key, events);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void ExpireIfDue(long nowMs)
    {
        if (_state.Exists && _state.IsExpired(nowMs))
        {
            stats.Expired();
            Raise(KeyspaceEventFlags.Expired, "expired");
            _state.Clear();
        }
    }

    // Publishes the state's changes: their effects to the AOF, existence, type and expiry to
    // the node index, to the activation's lifetime, and to the expiry timer. With appendfsync
    // always, the returned task completes once the effects are on disk.
    private ValueTask Commit() => Append(Capture());

    private ValueTask Append(Captured captured) =>
        captured.Records is { Count: > 0 } records ? aof.Append(_db, _key, records, captured.ReplacesAll) : ValueTask.CompletedTask;

    // Commit's first half: the state's changes to the node index, the activation's lifetime and
    // the expiry timer; returns their records for the AOF (none without one) for the caller to append.
    private Captured Capture()
    {
        var captured = new Captured(null, false);
        if (_state.HasChanges)
        {
            if (aof.Enabled)
            {
                var effects = _state.Effects(_key, out bool replacesAll);
                if (effects.Count > 0)
                {
                    captured = new Captured(effects, replacesAll);
                }
            }

            _state.ResetChanges();
        }

        _existedWhileActive |= _state.Exists;

        // Access time and LFU counter matter to eviction only (see MemorySettings.TracksAccess).
        bool evicting = memory.TracksAccess;
        var current = new IndexEntry(
            _state.Type,
            _state.ExpireAtMs,
            MemoryEstimate.Of(_key.Length, _state),
            evicting ? (uint)(_state.LastAccessMs / 1000) : _indexed.AccessSeconds,
            evicting ? _state.Frequency : _indexed.Frequency);
        if (current != _indexed)
        {
            if (!_state.Exists)
            {
                index.Remove(_db, _key);
                if (!aof.Enabled)
                {
                    DelayDeactivation(TimeSpan.Zero);
                }
            }
            else
            {
                index.Set(_db, _key, current);
                if (_indexed.Type == ValueType.None && !aof.Enabled)
                {
                    DelayDeactivation(Timeout.InfiniteTimeSpan);
                }
            }

            _indexed = current;
        }

        ScheduleExpiry();
        return captured;
    }

    private void ScheduleExpiry()
    {
        long dueAt = _state.ExpireAtMs;
        if (dueAt == _timerDueAt)
        {
            return;
        }

        _expiryTimer?.Dispose();
        _expiryTimer = null;
        _timerDueAt = dueAt;
        if (dueAt == 0)
        {
            return;
        }

        // Timers cannot wait longer than about 49 days; a far expiry re-arms on the way.
        var delay = TimeSpan.FromMilliseconds(Math.Clamp(dueAt - Now(), 0, uint.MaxValue - 1));
        _expiryTimer = this.RegisterGrainTimer(OnExpiryTimer, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
    }

    private async Task OnExpiryTimer(CancellationToken cancellationToken)
    {
        _timerDueAt = 0;
        ValueTask logged;
        try
        {
            using (EnterSlot())
            {
                ExpireIfDue(Now());
                logged = Commit();
            }
        }
        catch (SlotUnavailableException)
        {
            // The key has moved or is moving: its new owner expires it.
            return;
        }

        await logged;
        await PublishEvents();
    }

    // A command's records for the AOF, not yet appended.
    private readonly record struct Captured(List<byte[][]>? Records, bool ReplacesAll);
}
