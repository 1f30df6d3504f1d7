using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Node;

namespace OrleansRedis.Grains.Memory;

/// <summary>
/// Keeps the node inside its share of maxmemory (maxmemory divided by the number of nodes).
/// A command that may grow memory asks <see cref="Admit"/> first: under the share it runs; over
/// it, with noeviction (or nothing the policy may evict) it is refused with OOM, otherwise it
/// runs while a background loop evicts keys until the node is back under its share (as Redis
/// lets commands through while its eviction is still running). Each round samples
/// maxmemory-samples keys of the node index and deletes the best candidate of the policy
/// through its key grain, so the deletion is logged to the AOF like any DEL.
/// </summary>
public sealed partial class Evictor(NodeKeyIndex index, MemorySettings settings, NodeTopology topology, IGrainFactory grains, ILogger<Evictor> logger)
{
    // Keys evicted per snapshot of the index before it is taken again.
    private const int EvictionsPerSnapshot = 256;
    private int _running;
    private volatile bool _nothingToEvict;
    private long _evicted;

    /// <summary>Keys evicted since the node started.</summary>
    public long EvictedKeys => Interlocked.Read(ref _evicted);

    /// <summary>This node's share of maxmemory, 0 for no limit.</summary>
    public long ShareBytes
    {
        get
        {
            long max = settings.Limit.MaxMemory;
            return max <= 0 ? 0 : max / Math.Max(1, topology.Current.Committed.Nodes.Length);
        }
    }

    /// <summary>Whether a command that may grow memory may run now (see the class summary).</summary>
    public bool Admit()
    {
        long share = ShareBytes;
        if (share == 0 || index.UsedBytes <= share)
        {
            return true;
        }

        if (settings.Limit.Policy == "noeviction")
        {
            return false;
        }

        Trigger();
        return !_nothingToEvict;
    }

    /// <summary>Starts the eviction loop unless it runs already.</summary>
    public void Trigger()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(EvictUntilUnderShare);
        }
    }

    private async Task EvictUntilUnderShare()
    {
        try
        {
            while (ShareBytes > 0 && index.UsedBytes > ShareBytes)
            {
                var limit = settings.Limit;
                bool volatileOnly = limit.Policy.StartsWith("volatile-", StringComparison.Ordinal);
                var candidates = index.Entries()
                    .Where(entry => !volatileOnly || entry.Entry.ExpireAtMs != 0)
                    .Where(entry => topology.Owns(Abstractions.Keys.HashSlot.Of(entry.Key)))
                    .ToArray();
                _nothingToEvict = candidates.Length == 0 || limit.Policy == "noeviction";
                if (_nothingToEvict)
                {
                    return;
                }

                for (int i = 0; i < EvictionsPerSnapshot && index.UsedBytes > ShareBytes; i++)
                {
                    var (db, key, _) = Best(candidates, limit);
                    if (await grains.GetKeyGrain(db, key).Evict())
                    {
                        Interlocked.Increment(ref _evicted);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            LogEvictionFailed(logger, exception);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }

        // A write that came in as the loop ended may have pushed the node over again.
        if (ShareBytes > 0 && index.UsedBytes > ShareBytes && !_nothingToEvict)
        {
            Trigger();
        }
    }

    // The best of maxmemory-samples random candidates: least recently used, least frequently
    // used, soonest to expire, or simply the first drawn.
    private static (int Db, byte[] Key, IndexEntry Entry) Best((int Db, byte[] Key, IndexEntry Entry)[] candidates, MemoryLimit limit)
    {
        long nowMinute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        (int Db, byte[] Key, IndexEntry Entry) best = default;
        double bestScore = double.MaxValue;
        for (int i = 0; i < Math.Max(1, limit.Samples); i++)
        {
            var candidate = candidates[Random.Shared.Next(candidates.Length)];
            var entry = candidate.Entry;
            double score = limit.Policy switch
            {
                "allkeys-lru" or "volatile-lru" => entry.AccessSeconds,
                "allkeys-lfu" or "volatile-lfu" => (Lfu.Decayed(entry.Frequency, entry.AccessSeconds / 60, nowMinute) * 1e10) + entry.AccessSeconds,
                "volatile-ttl" => entry.ExpireAtMs,
                _ => i,
            };
            if (score < bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evicting keys failed; the next write over maxmemory tries again")]
    private static partial void LogEvictionFailed(ILogger logger, Exception exception);
}
