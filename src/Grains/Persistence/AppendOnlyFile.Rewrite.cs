using System.Buffers;
using Microsoft.Extensions.Logging;
using OrleansRedis.Grains.Keys;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// The rewrite (BGREWRITEAOF, and automatically by size), as Redis 7 does it: new writes go to
/// a new incremental file from the moment the rewrite starts; the files before it are
/// compacted in the background into a new base file (each live key as the fewest records);
/// then the manifest switches atomically to the new base and the new incremental files, and
/// the old files are removed. A crash at any moment leaves a manifest that lists every record:
/// before the switch the old files and the new incremental one, after it the new base and the
/// new incremental one.
/// </summary>
public sealed partial class AppendOnlyFile
{
    private int _rewriting;
    private DateTime _rewriteStarted;

    /// <summary>Whether a rewrite is running.</summary>
    public bool RewriteInProgress => Volatile.Read(ref _rewriting) == 1;

    /// <summary>Rewrites completed since start.</summary>
    public long Rewrites { get; private set; }

    /// <summary>Whether the last rewrite failed.</summary>
    public bool LastRewriteFailed { get; private set; }

    /// <summary>How long the last rewrite took, in seconds; -1 before the first.</summary>
    public long LastRewriteSeconds { get; private set; } = -1;

    /// <summary><c>auto-aof-rewrite-percentage</c> and <c>auto-aof-rewrite-min-size</c>: rewrite when the files have grown this much over the base.</summary>
    private bool RewriteDue(long baseSize, long currentSize) =>
        Settings.AutoRewritePercentage > 0
        && currentSize >= Settings.AutoRewriteMinSize
        && (currentSize - baseSize) * 100 >= Math.Max(baseSize, 1) * Settings.AutoRewritePercentage;

    private long _lastRewriteCheck;

    /// <summary>Starts a rewrite in the background; false if one is already running.</summary>
    public bool StartRewrite()
    {
        if (!Enabled || Interlocked.CompareExchange(ref _rewriting, 1, 0) != 0)
        {
            return false;
        }

        _rewriteStarted = DateTime.UtcNow;
        _ = Task.Run(RewriteAsync);
        return true;
    }

    // As Redis's serverCron: the files' sizes are looked at ten times a second, not after every batch.
    private void MaybeStartAutomaticRewrite()
    {
        long now = Environment.TickCount64;
        if (now - _lastRewriteCheck < 100)
        {
            return;
        }

        _lastRewriteCheck = now;
        if (!RewriteInProgress && _incremental is not null)
        {
            var (baseSize, current) = Sizes();
            if (RewriteDue(baseSize, current))
            {
                StartRewrite();
            }
        }
    }

    private async Task RewriteAsync()
    {
        try
        {
            // 1. On the writer loop: later records go to a new incremental file.
            long cut = 0;
            await OnWriterLoop(() =>
            {
                OpenNewIncremental();
                cut = _incrementalInfo!.Seq;
            });

            // 2. In the background: every key's records from before the cut as its fewest records, in a new base file.
            long baseSeq = Volatile.Read(ref _manifest).Base?.Seq + 1 ?? 1;
            var info = new AofFileInfo($"{Settings.FileName}.{baseSeq}.base.aof", baseSeq, 'b');
            string temp = PathOf(info) + ".tmp";
            var isOld = OlderThan(info, cut);
            var compacted = WriteBase(temp, info, isOld);

            // 3. On the writer loop: switch the manifest, then point the index at the new base.
            await OnWriterLoop(() => Switch(temp, info, cut, isOld, compacted));
            Rewrites++;
            LastRewriteFailed = false;
            LogRewritten(_logger, compacted.Count(k => k.Length > 0), info.Name);
        }
        catch (Exception exception)
        {
            LastRewriteFailed = true;
            LogRewriteFailed(_logger, exception);
        }
        finally
        {
            LastRewriteSeconds = (long)(DateTime.UtcNow - _rewriteStarted).TotalSeconds;
            Volatile.Write(ref _rewriting, 0);
        }
    }

    // A record the rewrite compacts: in an older base, or in an incremental file from before the cut.
    private static Func<AofRecordRef, bool> OlderThan(AofFileInfo newBase, long cut) =>
        r => r.FileType == 'b' ? r.FileSeq != newBase.Seq : r.FileSeq < cut;

    // Walks the live index rather than a copy of it: a key with records from before the cut has
    // existed since then (later writes go to the new file), so the walk meets it; records
    // before the cut never change. Each key compacted is listed with its base record (Length 0:
    // none, the key did not survive its records): the one table the rewrite keeps, sized up front.
    private List<CompactedKey> WriteBase(string path, AofFileInfo info, Func<AofRecordRef, bool> isOld)
    {
        var located = new List<CompactedKey>((int)Keys.KeyCount + 16);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        int selectedDb = -1;
        foreach (var (db, key, refs) in Keys.AllRecords())
        {
            int old = 0;
            while (old < refs.Length && isOld(refs[old]))
            {
                old++;
            }

            if (old == 0)
            {
                continue;
            }

            var state = new KeyState();
            AofReplay.Apply(state, ReadRecords(refs.AsSpan(0, old).ToArray(), key));
            if (!state.Exists)
            {
                located.Add(new CompactedKey(db, key, 0, 0));
                continue;
            }

            buffer.ResetWrittenCount();
            if (selectedDb != db)
            {
                AofRecords.Write(buffer, AofRecords.Select(db));
                selectedDb = db;
            }

            int start = buffer.WrittenCount;
            foreach (var command in state.Records(key))
            {
                AofRecords.Write(buffer, command);
            }

            located.Add(new CompactedKey(db, key, file.Position + start, buffer.WrittenCount - start));
            file.Write(buffer.WrittenSpan);
        }

        file.Flush(flushToDisk: true);
        return located;
    }

    // Runs on the writer loop, so no record is indexed meanwhile.
    private void Switch(string temp, AofFileInfo newBase, long cut, Func<AofRecordRef, bool> isOld, List<CompactedKey> compacted)
    {
        File.Move(temp, PathOf(newBase), overwrite: true);
        _fileNames[(newBase.Seq, newBase.Type)] = newBase.Name;
        var old = Volatile.Read(ref _manifest);
        var manifest = new AofManifest();
        manifest.Files.Add(newBase);
        manifest.Files.AddRange(old.Incrementals.Where(f => f.Seq >= cut));
        manifest.Write(ManifestPath);
        Volatile.Write(ref _manifest, manifest);

        // A key's records from before the cut are now its one base record; records written since stay.
        foreach (var key in compacted)
        {
            var baseRecord = new AofRecordRef((int)newBase.Seq, 'b', key.Offset, key.Length);
            Keys.ReplaceRecords(key.Db, key.Key, refs =>
            {
                if (refs.Length == 0 || !isOld(refs[0]))
                {
                    return refs;
                }

                var newer = refs.Where(r => !isOld(r));
                return key.Length > 0 ? [baseRecord, .. newer] : [.. newer];
            });
        }

        foreach (var file in old.Files.Where(f => !manifest.Files.Contains(f)))
        {
            if (_readHandles.TryRemove((file.Seq, file.Type), out var handle))
            {
                handle.Dispose();
            }

            File.Delete(PathOf(file));
        }
    }

    // A key the rewrite compacted, and where its one record is in the new base (Length 0: none).
    private readonly record struct CompactedKey(int Db, byte[] Key, long Offset, int Length);

    [LoggerMessage(Level = LogLevel.Information, Message = "AOF rewritten: {Keys} keys in {File}")]
    private static partial void LogRewritten(ILogger logger, int keys, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "The AOF rewrite failed")]
    private static partial void LogRewriteFailed(ILogger logger, Exception exception);
}
