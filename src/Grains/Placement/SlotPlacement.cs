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
/// Chooses the slot owner among the silos that can host the grain. Silos are named by their
/// address for now: a restarted silo is a new node (the durable node set is later work).
/// </summary>
public sealed class SlotPlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        KeyAddress.Decode(target.GrainIdentity.Key.AsSpan(), out var key);
        var silos = context.GetCompatibleSilos(target);
        var owner = SlotOwnership.OwnerOfKey(key, silos, silo => silo.ToParsableString())
            ?? throw new OrleansException("No silo can host key grains.");
        return Task.FromResult(owner);
    }
}
