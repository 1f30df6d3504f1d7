using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>
/// Knows the cluster's live silos, the node each one is, and the committed node set, from one
/// snapshot at most a second old. The commands over the whole keyspace ask every node through
/// it, and refuse with <see cref="NodeDownException"/> while any node of the set is down, so
/// none answers from part of the keyspace. Key commands ask <see cref="Serves"/> first: a slot
/// whose owner is down answers CLUSTERDOWN at once, without a grain call.
/// </summary>
public sealed class NodeDirectory(IGrainFactory grains, ILogger? logger = null)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private Snapshot _snapshot = Snapshot.Unknown;
    private Task<Snapshot>? _refreshing;

    /// <summary>The live silos' names (their addresses), sorted so that every gateway walks them in one order.</summary>
    public async Task<string[]> SiloNames() => (await Current()).Silos;

    /// <summary>The node grain of one silo.</summary>
    public INodeGrain Node(string silo) => grains.GetGrain<INodeGrain>(silo);

    /// <summary>Asks every live node, in parallel, and returns their answers in silo order (CONFIG SET, INFO of each node).</summary>
    public async Task<T[]> AskAll<T>(Func<INodeGrain, ValueTask<T>> ask) => await Ask(await Current(), ask, requireEveryNode: false);

    /// <summary>
    /// Asks every node of the node set, or throws <see cref="NodeDownException"/> when any is
    /// down. <paramref name="fresh"/> looks again now rather than trusting the last second's view
    /// (FLUSHALL, FLUSHDB: a write must not reach only part of the keyspace).
    /// </summary>
    public async Task<T[]> AskEveryNode<T>(Func<INodeGrain, ValueTask<T>> ask, bool fresh = false)
    {
        var snapshot = fresh ? await Refresh() : await Current();
        return await Ask(snapshot, ask, requireEveryNode: true);
    }

    // Asks the snapshot's silos; when one fails and a fresh look shows the silos have changed
    // meanwhile (a silo stopped within the last second), asks again once with the new view.
    private async Task<T[]> Ask<T>(Snapshot snapshot, Func<INodeGrain, ValueTask<T>> ask, bool requireEveryNode)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (requireEveryNode && snapshot.Down.Length > 0)
            {
                throw new NodeDownException(snapshot.Down);
            }

            try
            {
                return await Task.WhenAll(snapshot.Silos.Select(s => ask(Node(s)).AsTask()));
            }
            catch (Exception) when (attempt == 0)
            {
                var now = await Refresh();
                if (now.Silos.SequenceEqual(snapshot.Silos, StringComparer.Ordinal) && now.Down.SequenceEqual(snapshot.Down, StringComparer.Ordinal))
                {
                    throw;
                }

                snapshot = now;
            }
        }
    }

    /// <summary>
    /// Whether the slot of <paramref name="key"/> has a live owner, as far as the last snapshot
    /// knows (true until the first one is taken). Never waits: a stale snapshot starts a refresh.
    /// </summary>
    public bool Serves(ReadOnlySpan<byte> key)
    {
        var snapshot = _snapshot;
        if (DateTime.UtcNow - snapshot.At >= CacheFor)
        {
            _ = Current();
        }

        return snapshot.Unserved is null || !snapshot.Unserved[HashSlot.Of(key)];
    }

    private Task<Snapshot> Current()
    {
        var snapshot = _snapshot;
        return DateTime.UtcNow - snapshot.At < CacheFor ? Task.FromResult(snapshot) : Refresh();
    }

    // One refresh at a time; callers that come meanwhile share it.
    private Task<Snapshot> Refresh()
    {
        var running = Volatile.Read(ref _refreshing);
        if (running is { IsCompleted: false })
        {
            return running;
        }

        var started = Take();
        Volatile.Write(ref _refreshing, started);
        return started;
    }

    private async Task<Snapshot> Take()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToArray();
        var answers = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                var node = Node(silo);
                var name = node.Name().AsTask().WaitAsync(AskTimeout);
                var topology = node.Topology().AsTask().WaitAsync(AskTimeout);
                return (Silo: silo, Name: await name, Topology: await topology, Live: true);
            }
            catch (Exception)
            {
                // Listed as active but not answering: counted as down until it answers again.
                return (Silo: silo, Name: "", Topology: Topology.None, Live: false);
            }
        }));

        var live = answers.Where(a => a.Live).ToList();
        var committed = Topology.Latest(live.Select(a => a.Topology)).Committed;
        var liveNames = live.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        string[] down = [.. committed.Nodes.Where(n => !liveNames.Contains(n))];
        bool[]? unserved = null;
        if (down.Length > 0)
        {
            unserved = new bool[HashSlot.Count];
            for (int slot = 0; slot < HashSlot.Count; slot++)
            {
                unserved[slot] = !liveNames.Contains(SlotOwnership.Owner(slot, committed.Nodes, n => n)!);
            }
        }

        var previous = _snapshot;
        var snapshot = new Snapshot(DateTime.UtcNow, [.. live.Select(a => a.Silo)], down, unserved);
        _snapshot = snapshot;
        ReportChanges(previous.Down, down);
        return snapshot;
    }

    // One log line per node that goes down or comes back, not one per refused request.
    private void ReportChanges(string[] before, string[] now)
    {
        if (logger is null)
        {
            return;
        }

        foreach (var node in now.Except(before))
        {
            logger.LogNodeDown(node);
        }

        foreach (var node in before.Except(now))
        {
            logger.LogNodeBack(node);
        }
    }

    /// <summary>What one look at the cluster found.</summary>
    /// <param name="At">When it was taken.</param>
    /// <param name="Silos">The live silos that answered, sorted.</param>
    /// <param name="Down">The nodes of the committed set that have no live silo.</param>
    /// <param name="Unserved">Per slot, whether its owner is down; null when every node is up.</param>
    private sealed record Snapshot(DateTime At, string[] Silos, string[] Down, bool[]? Unserved)
    {
        public static readonly Snapshot Unknown = new(DateTime.MinValue, [], [], null);
    }
}

/// <summary>A command over the whole keyspace while nodes of the node set are down: it answers CLUSTERDOWN rather than from part of the keyspace.</summary>
public sealed class NodeDownException(string[] nodes) : Exception($"Nodes down: {string.Join(", ", nodes)}")
{
    /// <summary>The nodes that are down.</summary>
    public string[] Nodes { get; } = nodes;
}
