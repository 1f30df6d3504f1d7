namespace OrleansRedis.Grains.Cluster;

/// <summary>
/// The silos the membership says are active, by node name: a restarted node is a new silo
/// (a new generation) under the same name, so a name's live silo is its newest active one.
/// </summary>
internal static class LiveNodes
{
    /// <summary>The active silo of each node name.</summary>
    public static Dictionary<string, SiloAddress> ByName(ClusterMembershipSnapshot snapshot) =>
        Active(snapshot).GroupBy(member => member.Name).ToDictionary(group => group.Key, group => Newest(group)!);

    private static IEnumerable<ClusterMember> Active(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(member => member.Status == SiloStatus.Active);

    private static SiloAddress? Newest(IEnumerable<ClusterMember> members) =>
        members.MaxBy(member => member.SiloAddress.Generation)?.SiloAddress;
}
