using Orleans.Concurrency;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Text;
using Microsoft.Extensions.Logging;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Memory;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Grains.Placement;

namespace OrleansRedis.Grains.Node;

/// <summary>
/// A silo's share of keyspace-wide commands, answered from its <see cref="NodeKeyIndex"/>.
/// Reentrant: it only reads the index, except FLUSH, which deletes through the key grains.
/// </summary>
[GrainType("node")]
[NodePlacement]
[Reentrant]
public sealed partial class NodeGrain(
    NodeKeyIndex index, AppendOnlyFile aof, NodeTopology topology, MemorySettings memory, Evictor evictor, Notifications.NotificationSettings notifications, NodeStats stats, ILogger<NodeGrain> logger)
    : Grain, INodeGrain
{
    // How many key grains FLUSHDB deletes at once.
    private const int FlushParallelism = 256;

    /// <inheritdoc/>
    public ValueTask<long> Count(int db) => ValueTask.FromResult((long)OwnedKeys(db, Now()).Count());

    /// <inheritdoc/>
    public ValueTask<byte[][]> Keys(int db, byte[] pattern) =>
        ValueTask.FromResult(OwnedKeys(db, Now()).Select(p => p.Key).Where(k => Glob.IsMatch(pattern, k)).ToArray());

    /// <inheritdoc/>
    public ValueTask<ScanPage> Scan(int db, ulong cursor, int count, byte[]? pattern, string? type)
    {
        var candidates = OwnedKeys(db, Now())
            .Where(p => type is null || string.Equals(p.Value.Type.Name(), type, StringComparison.OrdinalIgnoreCase))
            .Where(p => pattern is null || Glob.IsMatch(pattern, p.Key))
            .Select(p => (p.Key, ScanOrder.Position(p.Key)));
        var (page, next) = ScanOrder.Page(candidates, cursor, count);
        return ValueTask.FromResult(new ScanPage(page.ToArray(), next));
    }

    /// <inheritdoc/>
    public ValueTask<byte[]?> RandomKey(int db)
    {
        var keys = OwnedKeys(db, Now()).Select(p => p.Key).ToList();
        return ValueTask.FromResult(keys.Count == 0 ? null : keys[Random.Shared.Next(keys.Count)]);
    }

    /// <inheritdoc/>
    public async ValueTask Flush(int db)
    {
        var databases = db < 0 ? index.Databases.ToArray() : [db];
        foreach (int database in databases)
        {
            // Expired keys too: the index may still list them until their grains notice.
            var keys = OwnedKeys(database, long.MinValue).Select(p => p.Key).ToArray();
            foreach (var chunk in keys.Chunk(FlushParallelism))
            {
                await Task.WhenAll(chunk.Select(key =>
                    GrainFactory.GetKeyGrain(database, key).Delete().AsTask()));
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<DatabaseStats[]> Keyspace()
    {
        long now = Now();
        var stats = index.Databases
            .Select(db =>
            {
                var live = OwnedKeys(db, now).ToList();
                return new DatabaseStats(db, live.Count, live.Count(p => p.Value.ExpireAtMs != 0));
            })
            .Where(s => s.Keys > 0)
            .ToArray();
        return ValueTask.FromResult(stats);
    }

    /// <inheritdoc/>
    public ValueTask<NodePersistence> Persistence()
    {
        var (baseSize, current) = aof.Enabled ? aof.Sizes() : (0, 0);
        return ValueTask.FromResult(new NodePersistence(
            aof.Enabled, current, baseSize, !aof.LastWriteFailed, index.ActiveKeyGrains,
            aof.RewriteInProgress, aof.Rewrites, !aof.LastRewriteFailed, aof.LastRewriteSeconds));
    }

    /// <inheritdoc/>
    public ValueTask SetMemoryLimit(MemoryLimit limit)
    {
        memory.Limit = limit;
        evictor.Trigger();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask SetAofSetting(string name, string value)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        switch (name)
        {
            case "appendfsync": aof.Settings.Fsync = AofSettings.ParseFsync(value); break;
            case "auto-aof-rewrite-percentage": aof.Settings.AutoRewritePercentage = long.Parse(value, culture); break;
            case "auto-aof-rewrite-min-size": aof.Settings.AutoRewriteMinSize = long.Parse(value, culture); break;
            default: throw new ArgumentException($"not an AOF setting: {name}", nameof(name));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask SetNotifications(Abstractions.Notifications.KeyspaceEventFlags flags)
    {
        notifications.Flags = flags;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<NodeMemory> Memory() =>
        ValueTask.FromResult(new NodeMemory(evictor.UsedBytes, evictor.ShareBytes, evictor.EvictedKeys, stats.ExpiredKeys, stats.Hits, stats.Misses));

    /// <inheritdoc/>
    public ValueTask ResetStats()
    {
        stats.Reset();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask Purge()
    {
        // Redis asks its allocator to release dirty pages; the .NET equivalent is an aggressive collection.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<string> Name() => ValueTask.FromResult(topology.Name);

    /// <inheritdoc/>
    public ValueTask<bool> RewriteAof() => ValueTask.FromResult(aof.StartRewrite());

    // The keys of slots this node owns: during a move the new owner already holds copies it does not count yet.
    private IEnumerable<KeyValuePair<byte[], IndexEntry>> OwnedKeys(int db, long nowMs) =>
        index.LiveKeys(db, nowMs).Where(pair => topology.Owns(HashSlot.Of(pair.Key)));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
