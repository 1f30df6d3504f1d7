using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Grains;

namespace OrleansRedis.Grains.Cluster;

/// <summary>
/// Coordinates node-set changes, one at a time (the grain is not reentrant). It keeps no state
/// of its own: each call first gathers the views of the live nodes, so a coordinator started
/// anew on another silo, after a crash, finishes the change the old one left half done.
/// </summary>
[GrainType("topology")]
public sealed partial class TopologyGrain(IClusterMembershipService membership, ILogger<TopologyGrain> logger) : Grain, ITopologyGrain
{
    /// <inheritdoc/>
    public async Task<NodeSet> Join(string node)
    {
        var committed = await Settle();
        return committed.Contains(node) ? committed : await Change(committed, committed.With(node));
    }

    /// <inheritdoc/>
    public async Task<NodeSet> Remove(string node)
    {
        var committed = await Settle();
        if (!committed.Contains(node))
        {
            throw new ArgumentException($"'{node}' is not a node of the cluster ({committed}).");
        }

        if (committed.Nodes.Length == 1)
        {
            throw new ArgumentException($"'{node}' is the only node: its keys have nowhere to go.");
        }

        return await Change(committed, committed.Without(node));
    }

    /// <inheritdoc/>
    public async Task<NodeSet> Settle()
    {
        var silos = LiveNodes();
        var (committed, pending) = Topology.Latest(await Task.WhenAll(silos.Values.Select(silo => Node(silo).Topology().AsTask())));
        if (pending is not null)
        {
            return await Change(committed, pending);
        }

        // Nodes that missed the last commit (or that restarted) catch up, and drop what they no longer own.
        await Task.WhenAll(silos.Values.Select(silo => Node(silo).Commit(committed).AsTask()));
        return committed;
    }

    // Moves the keys of every slot whose owner differs between the sets, then commits the new set.
    private async Task<NodeSet> Change(NodeSet from, NodeSet to)
    {
        var silos = LiveNodes();
        var down = from.Nodes.Union(to.Nodes).Where(name => !silos.ContainsKey(name)).ToList();
        if (down.Count > 0)
        {
            throw new InvalidOperationException($"Cannot change the node set to {to}: {string.Join(", ", down)} down. Keys move only between live nodes.");
        }

        LogChange(logger, from.ToString(), to.ToString());
        // 1. Every node records the pending set: the moving slots stop being served everywhere.
        await Task.WhenAll(silos.Values.Select(silo => Node(silo).Prepare(to).AsTask()));

        // 2. The old owners copy the moving keys to the new owners, who put them on disk.
        var addresses = silos.ToDictionary(pair => pair.Key, pair => pair.Value.ToParsableString());
        var moved = await Task.WhenAll(from.Nodes.Select(name => Node(silos[name]).Transfer(to, addresses).AsTask()));

        // 3. Every node commits: the new owners serve the slots, the old ones drop their copies.
        await Task.WhenAll(silos.Values.Select(silo => Node(silo).Commit(to).AsTask()));
        LogChanged(logger, to.ToString(), moved.Sum(), silos.Count);
        return to;
    }

    private INodeGrain Node(SiloAddress silo) => GrainFactory.GetGrain<INodeGrain>(silo.ToParsableString());

    private Dictionary<string, SiloAddress> LiveNodes() => Cluster.LiveNodes.ByName(membership.CurrentSnapshot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Changing the node set from {From} to {To}")]
    private static partial void LogChange(ILogger logger, string from, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node set is now {NodeSet}: {Keys} keys moved, {Silos} silos told")]
    private static partial void LogChanged(ILogger logger, string nodeSet, long keys, int silos);
}
