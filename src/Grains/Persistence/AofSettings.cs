namespace OrleansRedis.Grains.Persistence;

/// <summary>When the append-only file is flushed to disk (Redis's <c>appendfsync</c>).</summary>
public enum FsyncPolicy
{
    /// <summary>A write is acknowledged only once its record is on disk; concurrent writers share an fsync.</summary>
    Always,

    /// <summary>Records are written at once and fsynced about once a second.</summary>
    EverySec,

    /// <summary>Records are written at once; the operating system decides when they reach the disk.</summary>
    No,
}

/// <summary>The append-only file's settings, named as in redis.conf.</summary>
public sealed class AofSettings
{
    /// <summary><c>appendonly</c>: whether writes are logged and keys replayed at activation.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>appendfsync</c>.</summary>
    public FsyncPolicy Fsync { get; set; } = FsyncPolicy.EverySec;

    /// <summary><c>dir</c>: the node's data directory.</summary>
    public string Dir { get; set; } = "data";

    /// <summary><c>appenddirname</c>: the AOF directory under <see cref="Dir"/>.</summary>
    public string DirName { get; set; } = "appendonlydir";

    /// <summary><c>appendfilename</c>: the prefix of the AOF files' names.</summary>
    public string FileName { get; set; } = "appendonly.aof";

    /// <summary><c>aof-load-truncated</c>: cut a truncated last record at start instead of refusing to start.</summary>
    public bool LoadTruncated { get; set; } = true;

    /// <summary><c>auto-aof-rewrite-percentage</c>: rewrite when the files have grown by this percentage over the base (0: never automatically).</summary>
    public long AutoRewritePercentage { get; set; } = 100;

    /// <summary><c>auto-aof-rewrite-min-size</c>: no automatic rewrite below this size.</summary>
    public long AutoRewriteMinSize { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Fault injection for tests only (environment variable <c>ORLEANSREDIS_TEST_AOF_DELAY_MS</c>):
    /// the writer waits this long per record before writing, as a slow disk would make it.
    /// </summary>
    public TimeSpan TestDelayPerRecord { get; set; }

    /// <summary>The AOF directory.</summary>
    public string Directory => Path.Combine(Path.GetFullPath(Dir), DirName);

    /// <summary>Parses <c>appendfsync</c>'s value.</summary>
    public static FsyncPolicy ParseFsync(string value) => value.ToLowerInvariant() switch
    {
        "always" => FsyncPolicy.Always,
        "everysec" => FsyncPolicy.EverySec,
        "no" => FsyncPolicy.No,
        _ => throw new ArgumentException($"appendfsync must be always, everysec or no, not '{value}'", nameof(value)),
    };
}
