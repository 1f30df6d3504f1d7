namespace OrleansRedis.Abstractions.Hosting;

/// <summary>
/// How far a node's start-up load of its AOF has got: what INFO persistence's loading_* fields
/// and the -LOADING phase report, shared by the loader and the RESP port that answers meanwhile.
/// </summary>
public sealed class LoadingProgress
{
    private long _loadedBytes;
    private long _totalBytes;
    private int _loading;

    /// <summary>Whether the load is running.</summary>
    public bool Loading => Volatile.Read(ref _loading) == 1;

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The bytes of the files to read.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>The bytes read so far.</summary>
    public long LoadedBytes => Interlocked.Read(ref _loadedBytes);

    /// <summary>The share read, in percent.</summary>
    public double Percent => TotalBytes == 0 ? 100 : 100.0 * LoadedBytes / TotalBytes;

    /// <summary>Seconds left at the rate so far (Redis's loading_eta_seconds; 1 until there is a rate).</summary>
    public long EtaSeconds
    {
        get
        {
            double elapsed = (DateTimeOffset.UtcNow - StartedAt).TotalSeconds;
            long loaded = LoadedBytes;
            return loaded == 0 || elapsed <= 0 ? 1 : (long)Math.Ceiling((TotalBytes - loaded) * elapsed / loaded);
        }
    }

    /// <summary>Marks the start of a load of <paramref name="totalBytes"/>.</summary>
    public void Start(long totalBytes)
    {
        StartedAt = DateTimeOffset.UtcNow;
        Interlocked.Exchange(ref _totalBytes, totalBytes);
        Interlocked.Exchange(ref _loadedBytes, 0);
        Volatile.Write(ref _loading, 1);
    }

    /// <summary>Counts bytes read.</summary>
    public void Read(long bytes) => Interlocked.Add(ref _loadedBytes, bytes);

    /// <summary>Marks the end of the load.</summary>
    public void Finish()
    {
        Interlocked.Exchange(ref _loadedBytes, TotalBytes);
        Volatile.Write(ref _loading, 0);
    }
}
