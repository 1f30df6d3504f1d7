using Orleans.Concurrency;

namespace OrleansRedis.Abstractions.Cluster;

/// <summary>
/// The one coordinator of node-set changes (key 0). It makes each change in three steps: every
/// node records the pending set (moving slots stop being served), the old owners copy the
/// moving keys to their new owners (durably), then every node commits the new epoch and drops
/// the keys it no longer owns. A change interrupted by a crash is finished by the next call.
/// </summary>
public interface ITopologyGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds <paramref name="node"/> to the node set (moving its slots' keys to it) unless it is
    /// already a member; returns the set it belongs to.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    Task<NodeSet> Join(string node);

    /// <summary>Moves <paramref name="node"/>'s keys to the other nodes, then removes it from the node set.</summary>
    [ResponseTimeout("01:00:00")]
    Task<NodeSet> Remove(string node);

    /// <summary>Finishes a change a crash interrupted, if any; returns the committed set.</summary>
    [ResponseTimeout("01:00:00")]
    Task<NodeSet> Settle();
}
