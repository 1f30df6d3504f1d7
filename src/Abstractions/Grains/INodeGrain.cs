using Orleans.Concurrency;
using OrleansRedis.Abstractions.Cluster;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// A silo's share of keyspace-wide operations, over the keys that live on that silo.
/// One per silo; its grain key is the silo's address, and it is placed on that silo.
/// </summary>
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>Number of keys in <paramref name="db"/>, from counts (expired keys too until they go, as Redis's DBSIZE).</summary>
    ValueTask<long> Count(int db);

    /// <summary>
    /// One page of a SCAN (and of KEYS, page after page): the node walks about
    /// <paramref name="count"/> of its keys (at most 10,000) in <see cref="OrleansRedis.Abstractions.Keys.ScanOrder"/>
    /// from <paramref name="cursor"/> and returns those that are live and match; every key of
    /// the node with a position from the cursor up to the page's NextCursor (or to the end, when
    /// it is 0) was looked at.
    /// </summary>
    ValueTask<ScanPage> Scan(int db, ulong cursor, int count, byte[]? pattern, string? type);

    /// <summary>A random live key of <paramref name="db"/>, or null.</summary>
    ValueTask<byte[]?> RandomKey(int db);

    /// <summary>Deletes every key of <paramref name="db"/>, or of every database when it is -1.</summary>
    ValueTask Flush(int db);

    /// <summary>Per database with keys: (db, keys, keys with an expiry).</summary>
    ValueTask<DatabaseStats[]> Keyspace();

    /// <summary>The node's stable name (its silo's name).</summary>
    ValueTask<string> Name();

    /// <summary>Starts rewriting the node's AOF; false when a rewrite is already running or the AOF is off.</summary>
    ValueTask<bool> RewriteAof();

    /// <summary>The node's append-only file and activations, for INFO.</summary>
    ValueTask<NodePersistence> Persistence();

    /// <summary>Sets the node's memory limit (CONFIG SET maxmemory, maxmemory-policy, maxmemory-samples).</summary>
    ValueTask SetMemoryLimit(MemoryLimit limit);

    /// <summary>Sets one of the AOF's run-time settings (CONFIG SET appendfsync, auto-aof-rewrite-percentage, auto-aof-rewrite-min-size).</summary>
    ValueTask SetAofSetting(string name, string value);

    /// <summary>Sets the node's encoding thresholds (CONFIG SET hash-max-listpack-*, set-max-intset-entries, zset-max-listpack-*).</summary>
    ValueTask SetEncodingThresholds(EncodingThresholds thresholds);

    /// <summary>Forgets the node's counters (CONFIG RESETSTAT).</summary>
    ValueTask ResetStats();

    /// <summary>Sets which keyspace notifications the node's keys publish (CONFIG SET notify-keyspace-events).</summary>
    ValueTask SetNotifications(Notifications.KeyspaceEventFlags flags);

    /// <summary>The node's used memory, its share of maxmemory, and the keys it has evicted.</summary>
    ValueTask<NodeMemory> Memory();

    /// <summary>MEMORY PURGE: a full, compacting garbage collection that returns free memory to the system.</summary>
    ValueTask Purge();

    /// <summary>The node's view of the node set: committed, and pending while a change is under way.</summary>
    ValueTask<Topology> Topology();

    /// <summary>First step of a change: records <paramref name="next"/> as pending; the slots it moves stop being served here.</summary>
    ValueTask Prepare(NodeSet next);

    /// <summary>
    /// Second step, on each node that gives slots: copies the keys of the slots that move to
    /// another owner in <paramref name="next"/> to that owner (<paramref name="silos"/>: the
    /// live silo of each node name). Returns how many keys it copied.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    ValueTask<long> Transfer(NodeSet next, Dictionary<string, string> silos);

    /// <summary>Receives moved keys: each replaces whatever this node had for it, and is on disk (with the AOF on) when the call returns.</summary>
    [ResponseTimeout("00:10:00")]
    ValueTask Import(KeyTransfer[] keys);

    /// <summary>Last step: makes <paramref name="next"/> committed here, then drops the keys of slots this node no longer owns.</summary>
    [ResponseTimeout("00:10:00")]
    ValueTask Commit(NodeSet next);
}

/// <summary>A node's AOF state and its number of active key grains.</summary>
[GenerateSerializer, Immutable, Alias("node-persistence")]
public sealed record NodePersistence(
    [property: Id(0)] bool AofEnabled,
    [property: Id(1)] long AofCurrentSize,
    [property: Id(2)] long AofBaseSize,
    [property: Id(3)] bool LastWriteOk,
    [property: Id(4)] long ActiveKeyGrains,
    [property: Id(5)] bool RewriteInProgress,
    [property: Id(6)] long Rewrites,
    [property: Id(7)] bool LastRewriteOk,
    [property: Id(8)] long LastRewriteSeconds);

/// <summary>A page of keys from one node, and the cursor that continues after it (0 when done).</summary>
[GenerateSerializer, Immutable, Alias("scan-page")]
public sealed record ScanPage([property: Id(0)] byte[][] Keys, [property: Id(1)] ulong NextCursor);

/// <summary>Key counts of one database on one node.</summary>
[GenerateSerializer, Immutable, Alias("db-stats")]
public sealed record DatabaseStats([property: Id(0)] int Db, [property: Id(1)] long Keys, [property: Id(2)] long Expires);
