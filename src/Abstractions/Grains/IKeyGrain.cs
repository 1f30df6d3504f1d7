using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// One key of one database. Its grain key is <see cref="KeyAddress.Encode"/> of the
/// database and the key's bytes. It runs its commands one at a time, so every
/// single-key command is atomic.
/// </summary>
public interface IKeyGrain : IGrainWithStringKey
{
    /// <summary>Runs one command on this key.</summary>
    ValueTask<Reply> Execute(KeyCommand command);

    /// <summary>Runs several commands on this key in order, as one call (pipelined commands).</summary>
    ValueTask<Reply[]> ExecuteBatch(KeyCommand[] commands);

    /// <summary>
    /// Moves one element from this key to <paramref name="destination"/> (LMOVE, RPOPLPUSH,
    /// SMOVE): runs <paramref name="pop"/> here (LPOP, RPOP or SREM of the member), then
    /// <paramref name="push"/> of what it took on the destination's grain, and answers the
    /// element (or the pop's answer when there was none to move). When both keys are on this
    /// node their records are logged together, as one transaction; a refused push puts the element back.
    /// </summary>
    ValueTask<Reply> Move(KeyCommand pop, byte[] destination, CommandId push);

    /// <summary>
    /// The destination's half of <see cref="Move"/>: runs <paramref name="push"/> and logs it,
    /// as the close of the source's AOF transaction <paramref name="transaction"/> when both
    /// keys are on this node (0: on its own). Interleaves, so that two moves in opposite
    /// directions cannot wait on each other.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    ValueTask<Reply> Receive(KeyCommand push, long transaction);

    /// <summary>
    /// A blocking pop's first step on this key: when it has elements (or is of the wrong type),
    /// runs the waiter's pop (or move) now and answers it, after claiming the waiter when
    /// <paramref name="claimFirst"/> is set (it waits on other keys too); when the claim fails,
    /// answers <see cref="Replies.NoReply"/>. Otherwise keeps the waiter, in the order clients
    /// blocked, and answers null: a later write that gives the key elements serves it then.
    /// </summary>
    ValueTask<Replies.Reply?> PopOrWait(Waiter waiter, bool claimFirst);

    /// <summary>Whether this activation still keeps waiter <paramref name="waiterId"/> (a new activation keeps none).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    ValueTask<bool> IsKeeping(long waiterId);

    /// <summary>Forgets waiter <paramref name="waiterId"/> (it timed out, was served by another key, or went away).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    ValueTask StopKeeping(long waiterId);

    /// <summary>Serves the waiters the key's elements allow (called by the grain itself after an interleaved push).</summary>
    ValueTask ServeWaiters();

    /// <summary>Returns the key's value and expiry, removing the key when <paramref name="remove"/> is set; null when it does not exist.</summary>
    ValueTask<KeySnapshot?> Export(bool remove);

    /// <summary>Stores <paramref name="snapshot"/> as this key's value; with <paramref name="replace"/> unset, only if the key does not exist. Returns whether it stored.</summary>
    ValueTask<bool> Import(KeySnapshot snapshot, bool replace);

    /// <summary>Deletes the key; returns whether it existed.</summary>
    ValueTask<bool> Delete();

    /// <summary>Lets the activation go when idle, keeping the key (its AOF records bring it back): memory freed without losing data.</summary>
    [Orleans.Concurrency.AlwaysInterleave] // the evictor must reach a grain whose write waits for room
    ValueTask Deactivate();

    /// <summary>Deletes the key to free memory (maxmemory eviction) and lets the activation go; returns whether it existed.</summary>
    [Orleans.Concurrency.AlwaysInterleave] // the evictor must reach a grain whose write waits for room
    ValueTask<bool> Evict();

    /// <summary>
    /// The key's value, for moving it to its slot's new owner while the slot is not served
    /// (only used without an AOF, where the active grain is the only copy); null when none.
    /// </summary>
    ValueTask<KeySnapshot?> Handoff();
}
