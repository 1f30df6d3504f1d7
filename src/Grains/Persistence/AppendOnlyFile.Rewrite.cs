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
            // 1. On the writer loop: later records go to a new incremental file; take the index as of now.
            Dictionary<int, Dictionary<byte[], AofRecordRef[]>> snapshot = [];
            long cut = 0;
            await OnWriterLoop(() =>
            {
                OpenNewIncremental();
                cut = _incrementalInfo!.Seq;
                snapshot = Keys.AllRecords()
                    .GroupBy(k => k.Db)
                    .ToDictionary(g => g.Key, g => g.ToDictionary(k => k.Key, k => k.Records, Abstractions.Keys.ByteArrayComparer.Instance));
            });

            // 2. In the background: every key of the old files as its fewest records, in a new base file.
            long baseSeq = Volatile.Read(ref _manifest).Base?.Seq + 1 ?? 1;
            var info = new AofFileInfo($"{Settings.FileName}.{baseSeq}.base.aof", baseSeq, 'b');
            string temp = PathOf(info) + ".tmp";
            var compacted = WriteBase(temp, info, snapshot);

            // 3. On the writer loop: switch the manifest, then point the index at the new base.
            await OnWriterLoop(() => Switch(temp, info, cut, snapshot, compacted));
            Rewrites++;
            LastRewriteFailed = false;
            LogRewritten(_logger, compacted.Sum(db => db.Value.Count), info.Name);
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

    private Dictionary<int, Dictionary<byte[], AofRecordRef>> WriteBase(string path, AofFileInfo info, Dictionary<int, Dictionary<byte[], AofRecordRef[]>> snapshot)
    {
        var located = new Dictionary<int, Dictionary<byte[], AofRecordRef>>();
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        foreach (var (db, keys) in snapshot)
        {
            bool selected = false;
            var dbLocated = located[db] = new Dictionary<byte[], AofRecordRef>(Abstractions.Keys.ByteArrayComparer.Instance);
            foreach (var (key, refs) in keys)
            {
                var state = new KeyState();
                AofReplay.Apply(state, ReadRecords(refs, key));
                if (!state.Exists)
                {
                    continue;
                }

                buffer.ResetWrittenCount();
                if (!selected)
                {
                    AofRecords.Write(buffer, AofRecords.Select(db));
                    selected = true;
                }

                int start = buffer.WrittenCount;
                foreach (var command in state.Records(key))
                {
                    AofRecords.Write(buffer, command);
                }

                dbLocated[key] = new AofRecordRef((int)info.Seq, 'b', file.Position + start, buffer.WrittenCount - start);
                file.Write(buffer.WrittenSpan);
            }
        }

        file.Flush(flushToDisk: true);
        return located;
    }

    // Runs on the writer loop, so no record is indexed meanwhile.
    private void Switch(string temp, AofFileInfo newBase, long cut, Dictionary<int, Dictionary<byte[], AofRecordRef[]>> snapshot, Dictionary<int, Dictionary<byte[], AofRecordRef>> compacted)
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
        bool IsOld(AofRecordRef r) => r.FileType == 'b' ? r.FileSeq != newBase.Seq : r.FileSeq < cut;
        foreach (var (db, keys) in snapshot)
        {
            compacted.TryGetValue(db, out var dbCompacted);
            foreach (var key in keys.Keys)
            {
                Keys.ReplaceRecords(db, key, refs =>
                {
                    if (refs.Length == 0 || !IsOld(refs[0]))
                    {
                        return refs;
                    }

                    var newer = refs.Where(r => !IsOld(r));
                    return dbCompacted is not null && dbCompacted.TryGetValue(key, out var baseRecord) ? [baseRecord, .. newer] : [.. newer];
                });
            }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "AOF rewritten: {Keys} keys in {File}")]
    private static partial void LogRewritten(ILogger logger, int keys, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "The AOF rewrite failed")]
    private static partial void LogRewriteFailed(ILogger logger, Exception exception);
}
