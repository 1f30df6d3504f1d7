using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// A RESP server's clients blocked in BLPOP, BZPOPMIN, BLMOVE and the like, as key grains reach
/// them: a grain with elements for a waiting client first claims it (it may have been served by
/// another of its keys, timed out, been unblocked or disconnected), then pops for it and delivers.
/// </summary>
public interface IBlockedClientsListener : IGrainObserver
{
    /// <summary>Claims waiter <paramref name="waiterId"/> for one delivery; false when it no longer waits.</summary>
    Task<bool> Claim(long waiterId);

    /// <summary>
    /// Delivers what was popped from <paramref name="key"/> for a claimed waiter: the pop's reply
    /// (or its error), or <see cref="NoReply"/> when the elements were gone after all, so that it waits again.
    /// </summary>
    Task Deliver(long waiterId, byte[] key, Reply reply);
}
