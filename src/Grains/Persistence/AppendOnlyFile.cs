using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using OrleansRedis.Grains.Node;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// A node's append-only file in Redis 7's multi-part layout: a manifest, a base file and
/// incremental files under <c>dir/appenddirname</c>. Key grains append the effects of their
/// writes; one writer loop writes them in order, every record waiting at that moment with one
/// write call, and records where each key's records are, so that a key grain replays only its
/// own records when it activates. As in Redis, a write is acknowledged only once its record
/// has been handed to the operating system, so killing the process loses nothing whatever the
/// policy; <c>always</c> also fsyncs first (every writer of one batch sharing one fsync),
/// <c>everysec</c> fsyncs about once a second on a thread of its own, <c>no</c> leaves it to the
/// OS. The queue is bounded: when the writer falls behind, writers wait.
/// </summary>
public sealed partial class AppendOnlyFile : IDisposable
{
    /// <summary>How many records may wait for the writer before writers wait too.</summary>
    public const int QueueCapacity = 16 * 1024;

    private readonly ILogger<AppendOnlyFile> _logger;
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _fileSwitch = new();
    private readonly ConcurrentDictionary<(long, char), string> _fileNames = new();
    private readonly ConcurrentDictionary<(long, char), SafeFileHandle> _readHandles = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private AofManifest _manifest = new();
    private SafeFileHandle? _incremental;
    private long _incrementalLength;
    private AofFileInfo? _incrementalInfo;
    private int _selectedDb = -1;
    private long _writingTransaction;
    private long _pending;
    private long _writtenSinceFsync;
    private Task? _writerLoop;
    private Task? _fsyncLoop;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<(int Db, byte[] Key, List<byte[][]> Commands)> _restated = [];

    /// <summary>Creates the node's AOF; nothing is read or written until <see cref="Load"/>.</summary>
    public AppendOnlyFile(AofSettings settings, NodeKeyIndex keys, ILogger<AppendOnlyFile> logger, Abstractions.Hosting.LoadingProgress? progress = null)
    {
        Settings = settings;
        Keys = keys;
        _logger = logger;
        Progress = progress ?? new Abstractions.Hosting.LoadingProgress();
    }

    /// <summary>How far the load at start has got (INFO persistence's loading_* fields, the -LOADING phase).</summary>
    public Abstractions.Hosting.LoadingProgress Progress { get; }

    /// <summary>The settings.</summary>
    public AofSettings Settings { get; }

    /// <summary>Whether writes are logged (<c>appendonly yes</c>).</summary>
    public bool Enabled => Settings.Enabled;

    /// <summary>The node's key index, which loading fills.</summary>
    public NodeKeyIndex Keys { get; }

    /// <summary>The manifest's path.</summary>
    public string ManifestPath => Path.Combine(Settings.Directory, Settings.FileName + ".manifest");

    /// <summary>Whether the last write or fsync failed (INFO's aof_last_write_status).</summary>
    public bool LastWriteFailed { get; private set; }

    /// <summary>The size of the base file and of all files (INFO's aof_base_size, aof_current_size).</summary>
    public (long Base, long Current) Sizes()
    {
        var sizes = Volatile.Read(ref _manifest).Files.Select(f => (f.Type, Size: new FileInfo(PathOf(f)) is { Exists: true } info ? info.Length : 0)).ToList();
        return (sizes.Where(f => f.Type == 'b').Sum(f => f.Size), sizes.Sum(f => f.Size));
    }

    /// <summary>
    /// Opens the AOF (creating an empty one the first time), scans every file once, fills the
    /// node's key index and the record index, and starts the writer. Throws, naming the file
    /// and offset, when a file is damaged anywhere but in its last record.
    /// </summary>
    public void Load()
    {
        if (!Enabled)
        {
            return;
        }

        Directory.CreateDirectory(Settings.Directory);
        if (File.Exists(ManifestPath))
        {
            _manifest = AofManifest.Read(ManifestPath);
            RemoveFilesNotInManifest();
            ScanAll();

            // Loading built temporary per-key lists and replayed every key once: give that memory
            // back before serving. (Here, not in ScanAll, whose locals would keep the lists alive.)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        else
        {
            var first = new AofFileInfo($"{Settings.FileName}.1.base.aof", 1, 'b');
            File.WriteAllBytes(PathOf(first), []);
            _manifest.Files.Add(first);
            _fileNames[(first.Seq, first.Type)] = first.Name;
        }

        OpenNewIncremental();
        _writerLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _fsyncLoop = Task.Run(FsyncEverySecond);
        WriteRestated();
    }

    /// <summary>
    /// Appends a key's records. The task completes once they are written to the file (and with
    /// <c>appendfsync always</c> on disk): only then may the write be acknowledged.
    /// <paramref name="replacesAll"/> says that these records alone rebuild the key, so its
    /// earlier records are no longer needed.
    /// </summary>
    public ValueTask Append(int db, byte[] key, List<byte[][]> commands, bool replacesAll) =>
        Append(new Pending(db, key, commands, replacesAll, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));

    private ValueTask Append(Pending pending)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(pending))
        {
            return new ValueTask(pending.Done.Task);
        }

        return AppendWhenRoom(pending);
    }

    // The writer is behind: wait for room in the queue (the caller's acknowledgement waits with it).
    private async ValueTask AppendWhenRoom(Pending pending)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Decrement(ref _pending);
            throw new InvalidOperationException("The AOF is closed.");
        }

        await pending.Done.Task;
    }

    /// <summary>Waits until every record appended so far is written and indexed (a reactivating key must see its last writes).</summary>
    public ValueTask WaitForWrites() =>
        Interlocked.Read(ref _pending) == 0 ? ValueTask.CompletedTask : new ValueTask(OnWriterLoop(static () => { }));

    /// <summary>Flushes everything written so far to disk, whatever the fsync policy (a moved key must be durable before its old copy goes).</summary>
    public Task Sync() => Enabled ? OnWriterLoop(Fsync) : Task.CompletedTask;

    /// <summary>The records of one key, as whole commands, in the order they were written.</summary>
    public List<byte[][]> ReadCommands(int db, byte[] key)
    {
        try
        {
            return ReadRecords(Keys.Records(db, key), key);
        }
        catch (FileNotFoundException)
        {
            // A rewrite replaced the files between reading the positions and the files: the index points to the new ones now.
            return ReadCommands(db, key);
        }
    }

    private List<byte[][]> ReadRecords(IEnumerable<AofRecordRef> refs, byte[] key)
    {
        var commands = new List<byte[][]>();
        foreach (var record in refs)
        {
            var bytes = new byte[record.Length];
            RandomAccess.Read(ReadHandle(record.FileSeq, record.FileType), bytes, record.Offset);
            commands.AddRange(AofScanner.Commands(bytes, record.Part, key));
        }

        return commands;
    }

    /// <summary>
    /// The silo has begun to stop: the log says how many records are queued, and again every
    /// second while some still are (the grains' last writes drain before <see cref="Dispose"/>).
    /// </summary>
    public void ReportProgressWhileStopping()
    {
        var started = DateTime.UtcNow;
        if (Interlocked.Read(ref _pending) is var queued and > 0)
        {
            LogFlushingAtExit(_logger, queued, 0);
        }

        _ = Task.Run(async () =>
        {
            while (!_closing.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                long pending = Interlocked.Read(ref _pending);
                if (pending > 0 && !_closing.IsCancellationRequested)
                {
                    LogFlushingAtExit(_logger, pending, (int)(DateTime.UtcNow - started).TotalSeconds);
                }
            }
        });
    }

    /// <summary>
    /// Writes and fsyncs everything queued, however long it takes (logging progress every
    /// second after the first), then closes the files. Appends after this fail.
    /// </summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        var started = DateTime.UtcNow;
        while (_writerLoop is { IsCompleted: false } loop)
        {
            if (!loop.Wait(TimeSpan.FromSeconds(1)))
            {
                LogFlushingAtExit(_logger, Interlocked.Read(ref _pending), (int)(DateTime.UtcNow - started).TotalSeconds);
            }
        }

        if (_writerLoop is { IsFaulted: true })
        {
            LogWriteFailed(_logger, _writerLoop.Exception!);
        }

        _closing.Cancel();
        try
        {
            _fsyncLoop?.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled.
        }

        lock (_fileSwitch)
        {
            _incremental?.Dispose();
            _incremental = null;
        }

        foreach (var handle in _readHandles.Values)
        {
            handle.Dispose();
        }
    }

    private string PathOf(AofFileInfo file) => Path.Combine(Settings.Directory, file.Name);

    private SafeFileHandle ReadHandle(long seq, char type) =>
        _readHandles.GetOrAdd((seq, type), k => File.OpenHandle(Path.Combine(Settings.Directory, _fileNames[k]), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    // Files a crash left behind (a rewrite's unfinished base, an incremental file never listed) are not part of the data.
    private void RemoveFilesNotInManifest()
    {
        var listed = _manifest.Files.Select(f => f.Name).Append(Path.GetFileName(ManifestPath)).ToHashSet();
        foreach (var path in Directory.GetFiles(Settings.Directory))
        {
            if (!listed.Contains(Path.GetFileName(path)) && Path.GetFileName(path).StartsWith(Settings.FileName, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        foreach (var file in _manifest.Files)
        {
            _fileNames[(file.Seq, file.Type)] = file.Name;
        }
    }

    // The values of keys the load had to keep (AofScanner.Moves), as DEL and the records that
    // build each: appended before the node serves, so the keys replay from them from now on.
    private void WriteRestated()
    {
        if (_restated.Count == 0)
        {
            return;
        }

        Task.WaitAll(_restated.Select(kept => Append(kept.Db, kept.Key, kept.Commands, replacesAll: true).AsTask()));
        LogRestated(_logger, _restated.Count);
        _restated.Clear();
    }

    private void ScanAll()
    {
        var files = _manifest.Files.Where(f => f.Type == 'b').Concat(_manifest.Incrementals).ToList();
        var records = new ConcurrentDictionary<int, ConcurrentDictionary<byte[], List<AofRecordRef>>>();
        var scanner = new AofScanner(records, _logger) { OnRead = Progress.Read, ReadRecords = ReadRecords };
        Progress.Start(files.Sum(f => File.Exists(PathOf(f)) ? new FileInfo(PathOf(f)).Length : 0));
        using var reporter = new Timer(_ => LogLoading(_logger, Progress.LoadedBytes / (1024 * 1024), Progress.TotalBytes / (1024 * 1024), Progress.Percent, Progress.EtaSeconds), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        for (int i = 0; i < files.Count; i++)
        {
            string path = PathOf(files[i]);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"The AOF manifest {ManifestPath} names {files[i].Name}, which does not exist.");
            }

            if (scanner.Scan(path, files[i], isLast: i == files.Count - 1, Settings.LoadTruncated))
            {
                // An unfinished transaction was cut off the end: what it noted goes with it.
                records.Clear();
                scanner.ForgetMaterialized();
                i = -1;
            }
        }

        // Every key's type and expiry, from its own records (one key's value in memory at a time);
        // then the key's entry in the node index holds both.
        uint loadedAt = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var (db, keys) in records)
        {
            foreach (var (key, refs) in keys)
            {
                var state = new Keys.KeyState();
                if (refs is [{ WholeString: true } only])
                {
                    // A plain SET: a string without expiry, nothing to read (its size: about its record's).
                    Keys.Set(db, key, new IndexEntry(Abstractions.Keys.ValueType.String, 0, Memory.MemoryEstimate.PerKey + only.Length, loadedAt, Memory.Lfu.Initial));
                    Keys.AddRecord(db, key, only, replace: true);
                    continue;
                }

                AofReplay.Apply(state, ReadRecords(refs, key));
                if (state.Exists)
                {
                    Keys.Set(db, key, new IndexEntry(state.Type, state.ExpireAtMs, Memory.MemoryEstimate.Of(key.Length, state), loadedAt, Memory.Lfu.Initial));
                    for (int i = 0; i < refs.Count; i++)
                    {
                        Keys.AddRecord(db, key, refs[i], replace: i == 0);
                    }
                }
            }
        }

        // Keys a move in a file of redis-server's touched: the scan kept their values, which
        // the node writes once its writer runs (Load), as a rewrite would.
        foreach (var (db, keys) in scanner.Materialized)
        {
            foreach (var (key, state) in keys.Where(kept => kept.Value.Exists))
            {
                Keys.Set(db, key, new IndexEntry(state.Type, state.ExpireAtMs, Memory.MemoryEstimate.Of(key.Length, state), loadedAt, Memory.Lfu.Initial));
                _restated.Add((db, key, [["DEL"u8.ToArray(), key], .. state.Records(key)]));
            }
        }

        records.Clear();
        reporter.Dispose();
        Progress.Finish();

        LogLoaded(_logger, (int)Keys.Databases.Sum(db => Keys.CountOf(db)), Settings.Directory);
    }

    private void OpenNewIncremental()
    {
        long seq = _manifest.Incrementals.Select(f => f.Seq).DefaultIfEmpty(0).Max() + 1;
        var info = new AofFileInfo($"{Settings.FileName}.{seq}.incr.aof", seq, 'i');
        var file = File.OpenHandle(PathOf(info), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete);
        lock (_fileSwitch)
        {
            if (_incremental is not null)
            {
                RandomAccess.FlushToDisk(_incremental);
                _incremental.Dispose();
            }

            _incremental = file;
            _incrementalLength = RandomAccess.GetLength(file);
        }

        _incrementalInfo = info;
        _fileNames[(info.Seq, info.Type)] = info.Name;
        _selectedDb = -1;
        var manifest = new AofManifest();
        manifest.Files.AddRange(_manifest.Files);
        manifest.Files.Add(info);
        manifest.Write(ManifestPath);
        Volatile.Write(ref _manifest, manifest);
    }

    private async Task WriteLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        var deferred = new List<Action>();
        long open = 0;
        var openedAt = DateTime.UtcNow;
        while (await reader.WaitToReadAsync())
        {
            // Records before a control action are written before it runs; while a transaction is
            // open, everything after its first records waits for its close, in the same write.
            while (reader.TryRead(out var item))
            {
                if (item is Pending pending)
                {
                    batch.Add(pending);
                    if (pending.Step == TransactionStep.Open)
                    {
                        (open, openedAt) = (pending.Transaction, DateTime.UtcNow);
                    }
                    else if (pending.Step == TransactionStep.Close && pending.Transaction == open)
                    {
                        open = 0;
                    }
                }
                else if (open != 0)
                {
                    deferred.Add((Action)item);
                }
                else
                {
                    WriteBatch(batch);
                    batch.Clear();
                    ((Action)item)();
                }

                if (open == 0 && deferred.Count > 0)
                {
                    WriteBatch(batch);
                    batch.Clear();
                    deferred.ForEach(action => action());
                    deferred.Clear();
                }
            }

            if (open != 0 && DateTime.UtcNow - openedAt < TransactionCloseTimeout)
            {
                // Its second half comes from a grain call (see BeginTransaction): wait for it.
                using var wait = new CancellationTokenSource(TransactionCloseTimeout - (DateTime.UtcNow - openedAt));
                try
                {
                    await reader.WaitToReadAsync(wait.Token);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    LogTransactionNotClosed(_logger, open);
                }
            }

            open = 0;
            WriteBatch(batch);
            batch.Clear();
            deferred.ForEach(action => action());
            deferred.Clear();
            MaybeStartAutomaticRewrite();
        }

        Fsync();
    }

    // appendfsync everysec: off the writer loop, so an fsync never holds up writes (as Redis's background fsync).
    private async Task FsyncEverySecond()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token))
            {
                if (Settings.Fsync == FsyncPolicy.EverySec && Interlocked.Exchange(ref _writtenSinceFsync, 0) > 0)
                {
                    try
                    {
                        Fsync();
                    }
                    catch (IOException exception)
                    {
                        LastWriteFailed = true;
                        LogWriteFailed(_logger, exception);
                    }
                }

                // Also when no write came since: the last batch may have crossed the threshold.
                MaybeStartAutomaticRewrite();
            }
        }
        catch (OperationCanceledException)
        {
            // Closing: the writer loop's last fsync covers the rest.
        }
    }

    private void WriteBatch(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        _buffer.ResetWrittenCount();
        long start = _incrementalLength;
        var located = new List<(Pending Pending, AofRecordRef Ref)>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Db != _selectedDb)
            {
                AofRecords.Write(_buffer, AofRecords.Select(pending.Db));
                _selectedDb = pending.Db;
            }

            if (pending.Step == TransactionStep.Open)
            {
                AofRecords.Write(_buffer, AofRecords.Multi);
                _writingTransaction = pending.Transaction;
            }

            located.Add((pending, WriteRecords(pending, start)));
            if (pending.Step == TransactionStep.Close && pending.Transaction == _writingTransaction)
            {
                AofRecords.Write(_buffer, AofRecords.Exec);
                _writingTransaction = 0;
            }
        }

        if (_writingTransaction != 0)
        {
            // Its close never came in time (see WriteLoop): the block ends here; a late close is written plain.
            AofRecords.Write(_buffer, AofRecords.Exec);
            _writingTransaction = 0;
        }

        if (Settings.TestDelayPerRecord > TimeSpan.Zero)
        {
            Thread.Sleep(Settings.TestDelayPerRecord * batch.Count);
        }

        Exception? failure = null;
        try
        {
            // One write call for the whole batch; with appendfsync always, one fsync for it too.
            RandomAccess.Write(_incremental!, _buffer.WrittenSpan, start);
            _incrementalLength = start + _buffer.WrittenCount;
            if (Settings.Fsync == FsyncPolicy.Always)
            {
                Fsync();
            }
            else
            {
                Interlocked.Increment(ref _writtenSinceFsync);
            }

            LastWriteFailed = false;
        }
        catch (IOException exception)
        {
            failure = exception;
            LastWriteFailed = true;
            LogWriteFailed(_logger, exception);
        }

        foreach (var (pending, record) in located)
        {
            if (failure is null)
            {
                Index(pending, record);
            }
        }

        Interlocked.Add(ref _pending, -batch.Count);
        foreach (var pending in batch)
        {
            if (failure is null)
            {
                pending.Done.SetResult();
            }
            else
            {
                pending.Done.SetException(failure);
            }
        }
    }

    // Writes one key's records into the batch's buffer; returns where they will be in the file.
    private AofRecordRef WriteRecords(Pending pending, long batchStart)
    {
        int offset = _buffer.WrittenCount;
        foreach (var command in pending.Commands)
        {
            AofRecords.Write(_buffer, command);
        }

        return new AofRecordRef((int)_incrementalInfo!.Seq, 'i', batchStart + offset, _buffer.WrittenCount - offset);
    }

    // Runs an action on the writer loop, between two batches.
    private Task OnWriterLoop(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action item = () =>
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        };
        return _queue.Writer.TryWrite(item) ? done.Task : WriteAndWait(item, done.Task);

        async Task WriteAndWait(Action item, Task done)
        {
            await _queue.Writer.WriteAsync(item);
            await done;
        }
    }

    private void Index(Pending pending, AofRecordRef record)
    {
        if (pending.Commands.Count == 0)
        {
            return;
        }

        bool deleted = pending.ReplacesAll && pending.Commands.Count == 1 && pending.Commands[0].Length == 2
            && pending.Commands[0][0].AsSpan().SequenceEqual("DEL"u8);
        if (deleted)
        {
            Keys.RemoveRecords(pending.Db, pending.Key);
        }
        else
        {
            Keys.AddRecord(pending.Db, pending.Key, record, pending.ReplacesAll);
        }
    }

    private void Fsync()
    {
        lock (_fileSwitch)
        {
            if (_incremental is not null)
            {
                RandomAccess.FlushToDisk(_incremental);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading the AOF: {LoadedMb} of {TotalMb} MB read ({Percent:F0}%), about {Eta} s to go")]
    private static partial void LogLoading(ILogger logger, long loadedMb, long totalMb, double percent, long eta);

    [LoggerMessage(Level = LogLevel.Information, Message = "The AOF moved elements between keys (LMOVE, RPOPLPUSH or SMOVE, as redis-server logs them): {Keys} keys written again as their values")]
    private static partial void LogRestated(ILogger logger, int keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "AOF loaded: {Keys} keys from {Directory}")]
    private static partial void LogLoaded(ILogger logger, int keys, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the AOF failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writing the AOF before exit: {Pending} records still queued after {Seconds} s")]
    private static partial void LogFlushingAtExit(ILogger logger, long pending, int seconds);

    // One key's records, perhaps opening or closing a transaction.
    private sealed record Pending(int Db, byte[] Key, List<byte[][]> Commands, bool ReplacesAll, TaskCompletionSource Done)
    {
        public long Transaction { get; init; }

        public TransactionStep Step { get; init; }
    }
}
