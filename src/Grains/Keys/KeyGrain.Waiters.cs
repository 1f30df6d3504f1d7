using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Replies;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// The clients blocked on this key (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX,
/// BZMPOP), in the order they blocked. After every write that leaves the key with elements of
/// the type a waiter wants, the first waiter is claimed through its RESP server (it may have been
/// served by another key, timed out or gone: then the next), its pop runs here as any pop does
/// (logged as the pop it made) and the result is delivered. Waiters live in the activation only:
/// their servers check every second that it still keeps them, and register them again if not.
/// </summary>
public sealed partial class KeyGrain
{
    private List<Waiter>? _waiters;
    private bool _serving;

    /// <inheritdoc/>
    public async ValueTask<Reply?> PopOrWait(Waiter waiter, bool claimFirst)
    {
        // Refused (and retried elsewhere) where the key's slot is not served; an expired key goes first, logged.
        ValueTask logged;
        using (EnterSlot())
        {
            ExpireIfDue(Now());
            logged = Commit();
        }

        await logged;
        await PublishEvents();
        if (!CanServe(waiter))
        {
            _waiters ??= [];
            if (!_waiters.Exists(w => w.Id == waiter.Id))
            {
                _waiters.Add(waiter);
            }

            // Kept alive while anyone waits: the waiters exist only here.
            DelayDeactivation(TimeSpan.FromDays(1));
            return null;
        }

        if (claimFirst && !await Claim(waiter))
        {
            return NoReply.Instance;
        }

        return await PopFor(waiter);
    }

    /// <inheritdoc/>
    public ValueTask<bool> IsKeeping(long waiterId) => ValueTask.FromResult(_waiters?.Exists(w => w.Id == waiterId) == true);

    /// <inheritdoc/>
    public ValueTask StopKeeping(long waiterId)
    {
        _waiters?.RemoveAll(w => w.Id == waiterId);
        LetGoIfMissing();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask ServeWaiters()
    {
        if (_serving || _waiters is not { Count: > 0 } waiters)
        {
            return;
        }

        _serving = true;
        try
        {
            while (waiters.Count > 0 && HasElementsFor(waiters[0]))
            {
                var waiter = waiters[0];
                waiters.RemoveAt(0);
                if (!await Claim(waiter))
                {
                    continue;
                }

                var reply = await PopFor(waiter);
                try
                {
                    await waiter.Listener.Deliver(waiter.Id, _key, reply);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // Its server went away with the client: as when Redis's client disconnects after the reply was sent.
                }
            }
        }
        finally
        {
            _serving = false;
        }
    }

    // After a write in an interleaved call (Receive), which may be inside another grain's AOF
    // transaction: serve in a turn of the grain's own, after it, so a BLMOVE served does not wait for that transaction.
    private void ServeWaitersLater()
    {
        if (_waiters is { Count: > 0 } waiters && HasElementsFor(waiters[0]))
        {
            _ = this.AsReference<IKeyGrain>().ServeWaiters();
        }
    }

    private static async Task<bool> Claim(Waiter waiter)
    {
        try
        {
            return await waiter.Listener.Claim(waiter.Id);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return false; // its server is gone
        }
    }

    // The waiter's pop or move, as the command would run now; NoReply when the elements went meanwhile (it waits again).
    private async Task<Reply> PopFor(Waiter waiter)
    {
        if (!CanServe(waiter))
        {
            return NoReply.Instance;
        }

        if (waiter.MoveTo is { } destination)
        {
            return await Move(waiter.Pop, destination, waiter.Push);
        }

        Reply reply;
        ValueTask logged;
        using (EnterSlot())
        {
            reply = RunOrRefuse(waiter.Pop, Now());
            logged = Commit();
        }

        await logged;
        await PublishEvents();
        return reply;
    }

    private bool IsTypeFor(Waiter waiter) => _state.Type == (waiter.WantsSortedSet ? ValueType.SortedSet : ValueType.List);

    // Whether the waiter's pop can run now: the key has elements of its type, or is of another type (WRONGTYPE).
    private bool CanServe(Waiter waiter) => HasElementsFor(waiter) || (_state.Exists && !IsTypeFor(waiter));

    private bool HasElementsFor(Waiter waiter) => !_state.IsExpired(Now()) && IsTypeFor(waiter);

    // Whether waiters must stay: an activation holding waiters is not let go.
    private bool HasWaiters => _waiters is { Count: > 0 };
}
