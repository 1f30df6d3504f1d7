using Orleans.Concurrency;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
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
    NodeKeyIndex index, AppendOnlyFile aof, NodeTopology topology, MemorySettings memory, Evictor evictor, Notifications.NotificationSettings notifications, NodeStats stats,
    IdleKeyDeletion idle, Keys.EncodingSettings encodings, ILogger<NodeGrain> logger)
    : Grain, INodeGrain
{
    // How many key grains FLUSHDB deletes at once.
    private const int FlushParallelism = 256;

    // The most keys one SCAN page walks (KEYS asks page after page), so no call holds the node long.
    private const int MaxPage = 10_000;

    // Random keys drawn before RANDOMKEY gives up on finding a live one (Redis tries 100 too).
    private const int RandomKeyAttempts = 100;

    /// <inheritdoc/>
    public ValueTask<long> Count(int db) => ValueTask.FromResult(index.CountIn(db, topology.Owns).Keys);

    /// <inheritdoc/>
    public ValueTask<ScanPage> Scan(int db, ulong cursor, int count, byte[]? pattern, string? type)
    {
        var walked = new List<byte[]>(Math.Min(count, MaxPage) + 4);
        ulong next = index.Walk(db, cursor, Math.Clamp(count, 1, MaxPage), walked);
        long now = Now();
        var keys = walked.Where(key =>
            index.Entry(db, key) is { } entry && !entry.IsExpired(now)
            && topology.Owns(HashSlot.Of(key))
            && (type is null || string.Equals(entry.Type.Name(), type, StringComparison.OrdinalIgnoreCase))
            && (pattern is null || Glob.IsMatch(pattern, key)));
        return ValueTask.FromResult(new ScanPage(keys.ToArray(), next));
    }

    /// <inheritdoc/>
    public ValueTask<byte[]?> RandomKey(int db)
    {
        long now = Now();
        for (int attempt = 0; attempt < RandomKeyAttempts; attempt++)
        {
            if (index.RandomKey(db) is not { } key)
            {
                break;
            }

            if (index.Entry(db, key) is { } entry && !entry.IsExpired(now) && topology.Owns(HashSlot.Of(key)))
            {
                return ValueTask.FromResult<byte[]?>(key);
            }
        }

        return ValueTask.FromResult<byte[]?>(null);
    }

    /// <inheritdoc/>
    public async ValueTask Flush(int db)
    {
        var databases = db < 0 ? index.Databases.ToArray() : [db];
        foreach (int database in databases)
        {
            // A page at a time; expired keys too, since the index lists them until they go.
            ulong cursor = 0;
            var page = new List<byte[]>(FlushParallelism);
            do
            {
                page.Clear();
                cursor = index.Walk(database, cursor, FlushParallelism, page);
                await Task.WhenAll(page.Where(key => topology.Owns(HashSlot.Of(key))).Select(key => Delete(database, key)));
            }
            while (cursor != 0);
        }
    }

    // One key of a flush: an idle one without activating its grain (its DEL logged), else through its grain.
    private async Task Delete(int db, byte[] key)
    {
        if (await idle.TryDelete(db, key, static _ => true, KeyspaceEventFlags.None, eventName: null) is null)
        {
            await GrainFactory.GetKeyGrain(db, key).Delete();
        }
    }

    /// <inheritdoc/>
    public ValueTask<DatabaseStats[]> Keyspace()
    {
        var stats = index.Databases
            .Select(db => (Db: db, Counts: index.CountIn(db, topology.Owns)))
            .Where(s => s.Counts.Keys > 0)
            .Select(s => new DatabaseStats(s.Db, s.Counts.Keys, s.Counts.Volatile))
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
    public ValueTask SetEncodingThresholds(EncodingThresholds thresholds)
    {
        encodings.Current = thresholds;
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

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
