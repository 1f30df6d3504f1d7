using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Commands;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Placement;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// One key: its value, its expiry, and the commands on it, run one at a time. It keeps the
/// node's key index current, stays active while the key exists (there is no persistence
/// yet to bring it back), and removes the key itself when it expires.
/// </summary>
[GrainType("key")]
[SlotPlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed class KeyGrain(NodeKeyIndex index) : Grain, IKeyGrain
{
    private readonly KeyState _state = new();
    private int _db;
    private byte[] _key = [];
    private IndexEntry _indexed;
    private IGrainTimer? _expiryTimer;
    private long _timerDueAt;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _db = KeyAddress.Decode(this.GetGrainId().Key.AsSpan(), out var key);
        _key = key.ToArray();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<Reply> Execute(KeyCommand command)
    {
        var reply = Run(command, Now());
        Commit();
        return ValueTask.FromResult(reply);
    }

    /// <inheritdoc/>
    public ValueTask<Reply[]> ExecuteBatch(KeyCommand[] commands)
    {
        var replies = new Reply[commands.Length];
        for (int i = 0; i < commands.Length; i++)
        {
            replies[i] = Run(commands[i], Now());
        }

        Commit();
        return ValueTask.FromResult(replies);
    }

    /// <inheritdoc/>
    public ValueTask<KeySnapshot?> Export(bool remove)
    {
        ExpireIfDue(Now());
        var snapshot = _state.ToSnapshot();
        if (remove)
        {
            _state.Clear();
        }

        Commit();
        return ValueTask.FromResult(snapshot);
    }

    /// <inheritdoc/>
    public ValueTask<bool> Import(KeySnapshot snapshot, bool replace)
    {
        ExpireIfDue(Now());
        if (_state.Exists && !replace)
        {
            return ValueTask.FromResult(false);
        }

        _state.Load(snapshot);
        Commit();
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc/>
    public ValueTask<bool> Delete()
    {
        ExpireIfDue(Now());
        bool existed = _state.Exists;
        _state.Clear();
        Commit();
        return ValueTask.FromResult(existed);
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

    // Publishes the state's changes of existence, type and expiry: to the node index, to
    // the activation's lifetime, and to the expiry timer.
    private void Commit()
    {
        var current = new IndexEntry(_state.Type, _state.ExpireAtMs);
        if (current != _indexed)
        {
            if (!_state.Exists)
            {
                index.Remove(_db, _key);
                DelayDeactivation(TimeSpan.Zero);
            }
            else
            {
                index.Set(_db, _key, current);
                if (_indexed.Type == ValueType.None)
                {
                    DelayDeactivation(Timeout.InfiniteTimeSpan);
                }
            }

            _indexed = current;
        }

        ScheduleExpiry();
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

    private Task OnExpiryTimer(CancellationToken cancellationToken)
    {
        _timerDueAt = 0;
        ExpireIfDue(Now());
        Commit();
        return Task.CompletedTask;
    }
}
