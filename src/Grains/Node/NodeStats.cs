namespace OrleansRedis.Grains.Node;

/// <summary>Counters of what this node's keys did, for INFO stats: keys expired, and reads that found their key or not.</summary>
public sealed class NodeStats
{
    private long _expired;
    private long _hits;
    private long _misses;

    /// <summary>Keys removed because their expiry passed (INFO's expired_keys).</summary>
    public long ExpiredKeys => Interlocked.Read(ref _expired);

    /// <summary>Reads that found their key (keyspace_hits).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Reads that did not (keyspace_misses).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Counts an expired key.</summary>
    public void Expired() => Interlocked.Increment(ref _expired);

    /// <summary>Counts a read lookup.</summary>
    public void Lookup(bool found)
    {
        if (found)
        {
            Interlocked.Increment(ref _hits);
        }
        else
        {
            Interlocked.Increment(ref _misses);
        }
    }

    /// <summary>Forgets the counts (CONFIG RESETSTAT).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _expired, 0);
        Interlocked.Exchange(ref _hits, 0);
        Interlocked.Exchange(ref _misses, 0);
    }
}
