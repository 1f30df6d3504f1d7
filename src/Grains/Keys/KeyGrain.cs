using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Commands;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Grains.Placement;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// One key: its value, its expiry, and the commands on it, run one at a time. It replays its
/// records from the node's AOF when it activates, appends the effects of every write (and
/// with appendfsync always answers only once they are on disk), keeps the node's key index
/// current, and removes the key itself when it expires. Without an AOF it stays active while
/// the key exists, since nothing could bring the value back.
/// </summary>
[GrainType("key")]
[SlotPlacement]
public sealed class KeyGrain(NodeKeyIndex index, AppendOnlyFile aof) : Grain, IKeyGrain
{
    private readonly KeyState _state = new();
    private int _db;
    private byte[] _key = [];
    private IndexEntry _indexed;
    private IGrainTimer? _expiryTimer;
    private long _timerDueAt;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _db = KeyAddress.Decode(this.GetGrainId().Key.AsSpan(), out var key);
        _key = key.ToArray();
        index.KeyGrainActive(true);
        if (aof.Enabled)
        {
            // The previous activation's last records may still be on their way to the file.
            await aof.WaitForWrites();
            AofReplay.Apply(_state, aof.ReadCommands(_db, _key));
            _state.LastAccessMs = Now();
            _indexed = new IndexEntry(_state.Type, _state.ExpireAtMs);
            ScheduleExpiry();
        }
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        index.KeyGrainActive(false);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<Reply> Execute(KeyCommand command)
    {
        var reply = Run(command, Now());
        await Commit();
        return reply;
    }

    /// <inheritdoc/>
    public async ValueTask<Reply[]> ExecuteBatch(KeyCommand[] commands)
    {
        var replies = new Reply[commands.Length];
        for (int i = 0; i < commands.Length; i++)
        {
            replies[i] = Run(commands[i], Now());
        }

        await Commit();
        return replies;
    }

    /// <inheritdoc/>
    public async ValueTask<KeySnapshot?> Export(bool remove)
    {
        ExpireIfDue(Now());
        var snapshot = _state.ToSnapshot();
        if (remove)
        {
            _state.Clear();
        }

        await Commit();
        return snapshot;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> Import(KeySnapshot snapshot, bool replace)
    {
        ExpireIfDue(Now());
        if (_state.Exists && !replace)
        {
            await Commit();
            return false;
        }

        _state.Load(snapshot);
        await Commit();
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> Delete()
    {
        ExpireIfDue(Now());
        bool existed = _state.Exists;
        _state.Clear();
        await Commit();
        return existed;
    }

    private Reply Run(KeyCommand command, long nowMs) => KeyCommandRunner.Run(_state, command, nowMs);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void ExpireIfDue(long nowMs)
    {
        if (_state.IsExpired(nowMs))
        {
            _state.Clear();
        }
    }

    // Publishes the state's changes: their effects to the AOF, existence, type and expiry to
    // the node index, to the activation's lifetime, and to the expiry timer. With appendfsync
    // always, the returned task completes once the effects are on disk.
    private ValueTask Commit()
    {
        var logged = ValueTask.CompletedTask;
        if (_state.HasChanges)
        {
            if (aof.Enabled)
            {
                var effects = _state.Effects(_key, out bool replacesAll);
                if (effects.Count > 0)
                {
                    logged = aof.Append(_db, _key, effects, replacesAll);
                }
            }

            _state.ResetChanges();
        }

        var current = new IndexEntry(_state.Type, _state.ExpireAtMs);
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
        return logged;
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
        ExpireIfDue(Now());
        await Commit();
    }
}
