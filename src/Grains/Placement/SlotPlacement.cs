using OrleansRedis.Abstractions.Keys;
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
/// Chooses the slot owner among the silos that can host the grain, by the silos' names (the
/// stable node name each silo is started with, <c>--node-name</c>), so a restarted silo owns
/// the same slots, and finds its keys in its own AOF. The node set is the silos active now;
/// the durable, versioned node set of the architecture is later work.
/// </summary>
public sealed class SlotPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        KeyAddress.Decode(target.GrainIdentity.Key.AsSpan(), out var key);
        var members = membership.CurrentSnapshot.Members;
        var silos = context.GetCompatibleSilos(target);
        var owner = SlotOwnership.OwnerOfKey(key, silos, silo => members.TryGetValue(silo, out var member) ? member.Name : silo.ToParsableString())
            ?? throw new OrleansException("No silo can host key grains.");
        return Task.FromResult(owner);
    }
}
