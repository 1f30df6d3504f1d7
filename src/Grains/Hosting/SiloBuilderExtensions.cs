using Microsoft.Extensions.DependencyInjection;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Placement;

namespace OrleansRedis.Grains.Hosting;

/// <summary>Adds what OrleansRedis's grains need to a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Registers the placement directors and the node's key index.</summary>
    public static ISiloBuilder AddOrleansRedisGrains(this ISiloBuilder silo)
    {
        silo.AddPlacementDirector<SlotPlacement, SlotPlacementDirector>();
        silo.AddPlacementDirector<NodePlacement, NodePlacementDirector>();
        silo.Services.AddSingleton<NodeKeyIndex>();
        return silo;
    }
}
