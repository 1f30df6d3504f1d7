using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace OrleansRedis.Grains.Placement;

/// <summary>Places a grain on the silo whose address is the grain's key (one node grain per silo).</summary>
[GenerateSerializer, Immutable]
public sealed class NodePlacement : PlacementStrategy
{
    /// <summary>The shared instance.</summary>
    public static readonly NodePlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="NodePlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute() : PlacementAttribute(NodePlacement.Instance);

/// <summary>Puts a node grain on the silo it is named after, and nowhere else.</summary>
public sealed class NodePlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var wanted = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString());
        if (!context.GetCompatibleSilos(target).Contains(wanted))
        {
            throw new OrleansException($"Silo {wanted} is not active; its node grain cannot be placed.");
        }

        return Task.FromResult(wanted);
    }
}
