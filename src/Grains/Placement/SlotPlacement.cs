using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Cluster;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace OrleansRedis.Grains.Placement;

/// <summary>Places a key grain on the silo that owns its key's hash slot.</summary>
[GenerateSerializer, Immutable]
public sealed class SlotPlacement : PlacementStrategy
{
    /// <summary>The shared instance.</summary>
    public static readonly SlotPlacement Instance = new();
}

/// <summary>Marks a grain class, keyed by <see cref="KeyAddress"/>, as placed by <see cref="SlotPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SlotPlacementAttribute() : PlacementAttribute(SlotPlacement.Instance);

/// <summary>
/// Puts a key grain on its slot's owner in the committed node set (<see cref="NodeTopology"/>),
/// found among the live silos by its stable name. A slot whose owner is down fails with
/// <see cref="SlotUnavailableException"/> (its keys are never re-created empty elsewhere); a
/// slot that is moving, or a silo that has not learned the node set yet, fails the same way
/// marked as moving, so the caller may retry.
/// </summary>
public sealed class SlotPlacementDirector(NodeTopology topology, IClusterMembershipService membership) : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        KeyAddress.Decode(target.GrainIdentity.Key.AsSpan(), out var key);
        int slot = HashSlot.Of(key);
        string? owner = topology.OwnerOf(slot);
        if (owner is null || topology.IsMoving(slot))
        {
            throw new SlotUnavailableException(slot, owner ?? "", moving: true);
        }

        // The owner's live silo: a restarted node has a new address under the same name. The
        // silos by name are worked out once per membership version, not once per new key.
        var snapshot = membership.CurrentSnapshot;
        var byName = _liveByName;
        if (byName.Version != snapshot.Version)
        {
            byName = new LiveSilos(snapshot.Version, LiveNodes.ByName(snapshot));
            _liveByName = byName;
        }

        if (!byName.Silos.TryGetValue(owner, out var silo) || !context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new SlotUnavailableException(slot, owner);
        }

        return Task.FromResult(silo);
    }

    private volatile LiveSilos _liveByName = new(MembershipVersion.MinValue, []);

    private sealed record LiveSilos(MembershipVersion Version, Dictionary<string, SiloAddress> Silos);
}
