using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Persistence;

namespace OrleansRedis.Grains.Memory;

/// <summary>
/// Keeps the node inside its share of maxmemory (maxmemory divided by the number of nodes).
/// The node's used memory is its keys' estimates plus the cost of its active key grains.
/// A command that may grow memory asks <see cref="Admit"/> first: under the share it runs; over
/// it, with noeviction (or nothing to shed or evict) it is refused with OOM, otherwise it runs
/// while a background loop brings the node back under its share (as Redis lets commands
/// through while its eviction is still running). With the AOF on, the loop first deactivates
/// the least recently used active key grains, which frees memory and loses nothing; only when
/// that no longer helps does it evict: each round samples maxmemory-samples keys of the node
/// index and deletes the best candidate of the policy through its key grain, so the deletion
/// is logged to the AOF like any DEL.
/// </summary>
public sealed partial class Evictor(
    NodeKeyIndex index, MemorySettings settings, NodeTopology topology, AppendOnlyFile aof, IGrainFactory grains,
    IdleKeyDeletion idle, ILogger<Evictor> logger)
{
    // Idle activations let go per round before the used memory is looked at again.
    private const int ShedPerRound = 1024;

    // How long the eviction loop waits for an active key's grain to evict it.
    private static readonly TimeSpan ActiveEvictionWait = TimeSpan.FromMilliseconds(200);

    // Keys evicted before the databases are counted again.
    private const int EvictionsPerRound = 256;

    // Evictions in flight at once.
    private const int EvictionsPerBatch = 256;
    private int _running;
    private volatile bool _shedding = true;
    private long _evicted;

    // Keys evicted plus activations let go: what a waiting write counts as the evictor making room.
    private long _freed;

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

    /// <summary>The node's used memory: its keys' estimates, their index entries, the values it keeps parked and its active key grains.</summary>
    public long UsedBytes => index.UsedBytes + (index.KeyCount * MemoryEstimate.PerIndexEntry) + (index.ParkedValues * MemoryEstimate.PerParkedValue)
        + (index.ActiveKeyGrains * MemoryEstimate.PerActivation);

    /// <summary>Whether the node is over its share of maxmemory.</summary>
    public bool OverShare => ShareBytes is var share and > 0 && UsedBytes > share;

    /// <summary>
    /// As Redis frees memory before it runs a write that may need it: over the share the
    /// evictor is started, and while the node is more than 5 % over it the write waits (up to
    /// 4.5 seconds, under the five of a grain call) for room. The 5 % band lets writes go on
    /// while the evictor works, so that no waiting write starves behind others. Returns false
    /// when nothing was freed meanwhile, and the write is to be refused with OOM rather than
    /// overshoot. A write that waited while keys were evicted or activations let go goes ahead:
    /// at a small limit under sustained writes the node hovers about the band's edge, and a write
    /// that never happened to see it dip is not refused for that (Redis refuses a write only when
    /// nothing can be evicted).
    /// </summary>
    public async ValueTask<bool> MakeRoom()
    {
        if (!OverShare)
        {
            return true;
        }

        if (!CanFree)
        {
            return false;
        }

        Trigger();
        long freedBefore = Interlocked.Read(ref _freed);
        long deadline = Environment.TickCount64 + 4500;
        while (FarOverShare && CanFree && Environment.TickCount64 < deadline)
        {
            Trigger();
            await Task.Delay(10);
        }

        return !FarOverShare || (CanFree && Interlocked.Read(ref _freed) > freedBefore);
    }

    private bool FarOverShare => ShareBytes is var share and > 0 && UsedBytes > share + (share / 20);

    /// <summary>Whether a command that may grow memory may run now (see the class summary).</summary>
    public bool Admit()
    {
        long share = ShareBytes;
        if (share == 0 || UsedBytes <= share)
        {
            return true;
        }

        // As Redis decides before the command: refused when nothing can be freed.
        if (!CanFree)
        {
            return false;
        }

        Trigger();
        return true;
    }

    // Whether shedding or the policy can free anything: noeviction evicts nothing, volatile-*
    // only keys with a TTL (counted by the index, so the answer is immediate).
    private bool CanFree
    {
        get
        {
            var policy = settings.Limit.Policy;
            bool nothingToEvict = policy == "noeviction"
                || (policy.StartsWith("volatile-", StringComparison.Ordinal) ? index.VolatileKeys == 0 : index.UsedBytes == 0);
            return CanShed || !nothingToEvict;
        }
    }

    // Whether idle activations can be let go to free memory (only with the AOF, which keeps their keys).
    // Only while activations are a fair part (a tenth) of the share: a few grains in use are not worth a round.
    private bool CanShed => aof.Enabled && _shedding && index.ActiveKeyGrains * MemoryEstimate.PerActivation > ShareBytes / 10;

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
        bool stuck = false;
        try
        {
            _shedding = true;
            while (ShareBytes > 0 && UsedBytes > ShareBytes)
            {
                if (CanShed)
                {
                    _shedding = await ShedIdleActivations();
                    continue;
                }

                var limit = settings.Limit;
                bool volatileOnly = limit.Policy.StartsWith("volatile-", StringComparison.Ordinal);
                var databases = index.Databases.Select(db => (Db: db, Keys: index.CountOf(db, volatileOnly))).Where(d => d.Keys > 0).ToArray();
                if (databases.Length == 0 || limit.Policy == "noeviction")
                {
                    stuck = true;
                    break;
                }

                // Evictions go in parallel batches (each may be a grain call); the databases are
                // counted again after a number of keys, not after every one.
                for (int done = 0; done < EvictionsPerRound && UsedBytes > ShareBytes;)
                {
                    int size = BatchSize();
                    done += size;
                    var batch = Enumerable.Range(0, size).Select(_ => Best(databases, volatileOnly, limit))
                        .OfType<(int Db, byte[] Key)>()
                        .DistinctBy(c => KeyAddress.Encode(c.Db, c.Key), ByteArrayComparer.Instance)
                        .Select(c => Evict(c.Db, c.Key));
                    await Task.WhenAll(batch);
                }
            }
        }
        catch (Exception exception)
        {
            stuck = true;
            LogEvictionFailed(logger, exception);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }

        // A write that came in as the loop ended may have pushed the node over again.
        if (!stuck && ShareBytes > 0 && UsedBytes > ShareBytes && CanFree)
        {
            Trigger();
        }
    }

    // How many keys to evict at once: about as many as it takes to get under the share (from the
    // average key's cost), at most EvictionsPerBatch; so a small excess costs a few keys chosen
    // by the policy one round at a time, and a large one many in parallel.
    private int BatchSize()
    {
        long keys = Math.Max(1, index.KeyCount), excess = UsedBytes - ShareBytes;
        long perKey = Math.Max(1, UsedBytes / keys);
        return (int)Math.Clamp((excess / perKey) + 1, 1, EvictionsPerBatch);
    }

    // Evicts one key, and counts it once it is gone: an idle one here, an active one through its
    // grain. The grain may be busy waiting in MakeRoom for this very loop: the loop does not wait
    // for it past a moment (the eviction still happens, and is counted, when the grain is free),
    // or it would stall every waiting write.
    private async Task Evict(int db, byte[] key)
    {
        if (await idle.TryDelete(db, key, static _ => true, Abstractions.Notifications.KeyspaceEventFlags.Evicted, "evicted") is { } deleted)
        {
            Count(deleted);
            return;
        }

        var eviction = CountWhenDone(grains.GetKeyGrain(db, key).Evict().AsTask());
        if (await Task.WhenAny(eviction, Task.Delay(ActiveEvictionWait)) == eviction)
        {
            await eviction; // a failure stops the loop, as before
        }
    }

    private async Task CountWhenDone(Task<bool> eviction) => Count(await eviction);

    private void Count(bool evicted)
    {
        if (evicted)
        {
            Interlocked.Increment(ref _evicted);
            Interlocked.Increment(ref _freed);
        }
    }

    // Lets the least recently used active key grains go (a sample of them); returns whether
    // that freed enough to be worth another round.
    private async Task<bool> ShedIdleActivations()
    {
        long before = index.ActiveKeyGrains;
        var active = index.ActiveAddresses.ToArray();
        if (active.Length == 0)
        {
            return false;
        }

        // Approximate LRU, as Redis's: the oldest among a sample five times the batch.
        var oldest = Enumerable.Range(0, Math.Min(active.Length, ShedPerRound * 5))
            .Select(_ => active[Random.Shared.Next(active.Length)])
            .Distinct(ByteArrayComparer.Instance)
            .Select(address => (Address: address, Db: KeyAddress.Decode(address, out var key), Key: key.ToArray()))
            .Select(a => (a.Address, a.Db, a.Key, Access: index.Entry(a.Db, a.Key)?.AccessSeconds ?? 0))
            .OrderBy(a => a.Access)
            .Take(ShedPerRound);
        await Task.WhenAll(oldest.Select(a => grains.GetKeyGrain(a.Address).Deactivate().AsTask()));

        // Deactivations happen once each grain is idle: give them a moment before measuring.
        for (int wait = 0; wait < 20 && index.ActiveKeyGrains >= before; wait++)
        {
            await Task.Delay(10);
        }

        Interlocked.Add(ref _freed, Math.Max(0, before - index.ActiveKeyGrains));

        // Worth another round only if it freed a fair part of a round (grains in constant use come
        // straight back, and keys written meanwhile let themselves go anyway).
        return before - index.ActiveKeyGrains >= Math.Max(1, Math.Min(ShedPerRound, before) / 8);
    }

    // The best of maxmemory-samples random keys of the node (drawn from the index in SCAN order,
    // at a cost that does not grow with the keyspace): least recently used, least frequently
    // used, soonest to expire, or simply the first drawn. Null when no key of a slot the node
    // owns was drawn.
    private (int Db, byte[] Key)? Best((int Db, long Keys)[] databases, bool volatileOnly, MemoryLimit limit)
    {
        long nowMinute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        long total = databases.Sum(d => d.Keys);
        (int Db, byte[] Key)? best = null;
        double bestScore = double.MaxValue;
        int samples = Math.Max(1, limit.Samples);
        for (int drawn = 0, sampled = 0; sampled < samples && drawn < samples * 4; drawn++)
        {
            int db = Pick(databases, Random.Shared.NextInt64(total));
            if (index.RandomKey(db, volatileOnly) is not { } key || index.Entry(db, key) is not { } entry
                || !topology.Owns(Abstractions.Keys.HashSlot.Of(key)))
            {
                continue;
            }

            double score = limit.Policy switch
            {
                "allkeys-lru" or "volatile-lru" => entry.AccessSeconds,
                "allkeys-lfu" or "volatile-lfu" => (Lfu.Decayed(entry.Frequency, entry.AccessSeconds / 60, nowMinute) * 1e10) + entry.AccessSeconds,
                "volatile-ttl" => entry.ExpireAtMs,
                _ => sampled,
            };
            sampled++;
            if (score < bestScore)
            {
                best = (db, key);
                bestScore = score;
            }
        }

        return best;
    }

    // The database the n-th key (counted over them all) is in.
    private static int Pick((int Db, long Keys)[] databases, long n)
    {
        foreach (var (db, keys) in databases)
        {
            if (n < keys)
            {
                return db;
            }

            n -= keys;
        }

        return databases[^1].Db;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evicting keys failed; the next write over maxmemory tries again")]
    private static partial void LogEvictionFailed(ILogger logger, Exception exception);
}
