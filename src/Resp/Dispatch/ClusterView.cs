using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>One node of the node set, as NODE LIST and INFO nodes show it.</summary>
/// <param name="Name">The node's stable name.</param>
/// <param name="Address">Its live silo's address, or null when it is down.</param>
/// <param name="Slots">How many of the 16384 slots it owns.</param>
/// <param name="Keys">How many keys it holds (0 when down: unknown).</param>
public sealed record NodeDescription(string Name, string? Address, int Slots, long Keys);

/// <summary>The node set as the live nodes report it: the highest committed epoch, a pending change, and each node.</summary>
public sealed record ClusterView(long Epoch, long? PendingEpoch, NodeDescription[] Nodes)
{
    /// <summary>Asks every live node for its view, name and key count.</summary>
    public static async Task<ClusterView> Gather(NodeDirectory nodes)
    {
        var silos = await nodes.SiloNames();
        var answers = await Task.WhenAll(silos.Select(async silo =>
        {
            var node = nodes.Node(silo);
            return (Silo: silo, Name: await node.Name(), Topology: await node.Topology(), Keys: (await node.Keyspace()).Sum(db => db.Keys));
        }));
        var (committed, pendingSet) = Topology.Latest(answers.Select(a => a.Topology));
        long? pending = pendingSet?.Epoch;
        var slots = committed.Nodes.ToDictionary(name => name, _ => 0);
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            slots[SlotOwnership.Owner(slot, committed.Nodes, name => name)!]++;
        }

        var described = committed.Nodes.Select(name =>
        {
            var live = answers.FirstOrDefault(a => a.Name == name);
            return new NodeDescription(name, live.Silo, slots[name], live.Keys);
        });
        return new ClusterView(committed.Epoch, pending, [.. described]);
    }
}
