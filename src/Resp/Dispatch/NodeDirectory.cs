using OrleansRedis.Abstractions.Grains;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>
/// Knows the cluster's active silos and reaches each one's node grain, for the commands
/// that ask every node (DBSIZE, KEYS, SCAN, RANDOMKEY, FLUSHDB, INFO keyspace).
/// </summary>
public sealed class NodeDirectory(IGrainFactory grains)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private (DateTime At, string[] Silos) _cache = (DateTime.MinValue, []);

    /// <summary>The active silos' names (their addresses), sorted so that every gateway walks them in one order.</summary>
    public async Task<string[]> SiloNames()
    {
        var cache = _cache;
        if (DateTime.UtcNow - cache.At < CacheFor)
        {
            return cache.Silos;
        }

        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToArray();
        _cache = (DateTime.UtcNow, silos);
        return silos;
    }

    /// <summary>The node grain of one silo.</summary>
    public INodeGrain Node(string silo) => grains.GetGrain<INodeGrain>(silo);

    /// <summary>Asks every node, in parallel, and returns their answers in silo order.</summary>
    public async Task<T[]> AskAll<T>(Func<INodeGrain, ValueTask<T>> ask)
    {
        var silos = await SiloNames();
        return await Task.WhenAll(silos.Select(s => ask(Node(s)).AsTask()));
    }
}
