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
/// Chooses the slot owner by the nodes' names (the stable name each silo is started with,
/// <c>--node-name</c>), so a restarted node owns the same slots and finds their keys in its
/// own AOF. The nodes are every silo the membership knows, alive or dead: a crashed node keeps
/// its slots, and its keys fail with <see cref="SlotUnavailableException"/> until it is back,
/// instead of being re-created empty elsewhere. (An explicit removal command, and moving data
/// when a node joins, are later work.)
/// </summary>
public sealed class SlotPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        KeyAddress.Decode(target.GrainIdentity.Key.AsSpan(), out var key);
        var compatible = context.GetCompatibleSilos(target).ToHashSet();
        var members = membership.CurrentSnapshot.Members.Values;
        var names = members.Where(m => m.Status is not (SiloStatus.None or SiloStatus.Created or SiloStatus.Joining) || compatible.Contains(m.SiloAddress))
            .Select(m => m.Name)
            .Distinct()
            .ToList();
        int slot = HashSlot.Of(key);
        string owner = SlotOwnership.Owner(slot, names, name => name)
            ?? throw new OrleansException("No silo can host key grains.");

        // The owner's live silo: a restarted node has a new address under the same name.
        var silo = members.FirstOrDefault(m => m.Name == owner && compatible.Contains(m.SiloAddress))?.SiloAddress
            ?? throw new SlotUnavailableException(slot, owner);
        return Task.FromResult(silo);
    }
}
