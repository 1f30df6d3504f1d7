namespace OrleansRedis.Abstractions.Cluster;

/// <summary>
/// The nodes of the cluster at one epoch: the stable names the slots are spread over. It
/// changes only by a join or an explicit removal, each giving a new epoch; a node that is down
/// stays in it (and keeps its slots) until it is removed.
/// </summary>
[GenerateSerializer, Immutable, Alias("node-set")]
public sealed record NodeSet([property: Id(0)] long Epoch, [property: Id(1)] string[] Nodes)
{
    /// <summary>No nodes yet (epoch 0): a cluster before its first node has joined.</summary>
    public static readonly NodeSet Empty = new(0, []);

    /// <summary>Whether <paramref name="node"/> is one of the nodes.</summary>
    public bool Contains(string node) => Nodes.Contains(node, StringComparer.Ordinal);

    /// <summary>The next epoch's set with <paramref name="node"/> added.</summary>
    public NodeSet With(string node) => new(Epoch + 1, [.. Nodes.Append(node).Order(StringComparer.Ordinal)]);

    /// <summary>The next epoch's set without <paramref name="node"/>.</summary>
    public NodeSet Without(string node) => new(Epoch + 1, Nodes.Where(n => n != node).ToArray());

    /// <inheritdoc/>
    public override string ToString() => $"epoch {Epoch}: {string.Join(", ", Nodes)}";
}

/// <summary>
/// A node's view of the cluster: the committed node set its slots follow, and the next set
/// while a change is moving slots (the slots whose owner differs between the two answer
/// TRYAGAIN until the change commits).
/// </summary>
[GenerateSerializer, Immutable, Alias("topology")]
public sealed record Topology([property: Id(0)] NodeSet Committed, [property: Id(1)] NodeSet? Pending)
{
    /// <summary>A node that has not joined a cluster yet.</summary>
    public static readonly Topology None = new(NodeSet.Empty, null);

    /// <summary>
    /// What several nodes' views say together: the highest committed set, and the highest
    /// pending one newer than it (a change some node saw begin and no node has committed).
    /// </summary>
    public static Topology Latest(IEnumerable<Topology> views)
    {
        var list = views.ToList();
        var committed = list.Select(v => v.Committed).MaxBy(set => set.Epoch) ?? NodeSet.Empty;
        var pending = list.Select(v => v.Pending).OfType<NodeSet>().Where(set => set.Epoch > committed.Epoch).MaxBy(set => set.Epoch);
        return new Topology(committed, pending);
    }
}
