using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Abstractions.Text;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Reads AOF files once at start and notes, per key, where its records are. Records that
/// replace a key (SET, DEL, FLUSHDB, RENAME's destination) drop the key's earlier records, so
/// a key replays only what still matters. Files written by Redis itself load too: SELECT,
/// MULTI/EXEC, multi-key MSET/DEL/UNLINK, RENAME, MOVE, FLUSHDB and FLUSHALL are understood,
/// and LMOVE/RPOPLPUSH/SMOVE by keeping the values of the keys they touch (AofScanner.Moves.cs).
/// </summary>
/// <param name="records">Where the positions of each key's records go, per database.</param>
/// <param name="logger">For the warning about a cut truncated record.</param>
/// <param name="chunkSize">How much of a file is read at a time (records may span reads).</param>
public sealed partial class AofScanner(ConcurrentDictionary<int, ConcurrentDictionary<byte[], List<AofRecordRef>>> records, ILogger logger, int chunkSize = 1 << 20)
{
    /// <summary>Told how many bytes each read brought (the load's progress).</summary>
    public Action<long>? OnRead { get; set; }

    /// <summary>
    /// Scans one file. A truncated last record of the last file is cut off (with a warning)
    /// when <paramref name="loadTruncated"/> is set, and so is a transaction (MULTI without its
    /// EXEC) at its end, as Redis reverts it; any other damage throws, naming the file and offset.
    /// Returns true when it cut a transaction whose records it had already noted: the caller
    /// scans every file again (the file now ends before it).
    /// </summary>
    public bool Scan(string path, AofFileInfo file, bool isLast, bool loadTruncated)
    {
        long transactionStart = -1;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, chunkSize);
        var args = new RequestArgs();
        var pending = new ArrayBufferWriter<byte>(chunkSize);
        long pendingStart = 0;
        int db = 0;
        var chunk = new byte[chunkSize];
        while (true)
        {
            int read = stream.Read(chunk);
            OnRead?.Invoke(read);
            if (read > 0)
            {
                pending.Write(chunk.AsSpan(0, read));
            }

            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending.WrittenMemory));
            while (true)
            {
                long offset = pendingStart + reader.Consumed;
                // Every record is a RESP array whose lengths are exact, as Redis's loader requires.
                if (!reader.End && IsInline(pending.WrittenSpan[(int)(offset - pendingStart)]))
                {
                    throw Damaged(path, offset, "not a RESP array");
                }

                var status = RequestParser.TryParse(ref reader, args, authenticated: true, long.MaxValue, strict: true, out string? error);
                if (status == ParseStatus.Incomplete)
                {
                    break;
                }

                if (status == ParseStatus.Error)
                {
                    throw Damaged(path, offset, error!);
                }

                if (args.Count == 1 && args.Is(0, "MULTI"u8))
                {
                    transactionStart = offset;
                }
                else if (args.Count == 1 && args.Is(0, "EXEC"u8))
                {
                    transactionStart = -1;
                }

                if (args.Count > 0)
                {
                    db = Note(args, db, file, offset, (int)(pendingStart + reader.Consumed - offset), path);
                }
            }

            long consumed = reader.Consumed;
            var rest = pending.WrittenSpan[(int)consumed..].ToArray();
            pending.ResetWrittenCount();
            pending.Write(rest);
            pendingStart += consumed;
            if (read == 0)
            {
                if (rest.Length > 0 || transactionStart >= 0)
                {
                    long cutAt = transactionStart >= 0 ? transactionStart : pendingStart;
                    if (!isLast || !loadTruncated)
                    {
                        throw Damaged(path, cutAt, transactionStart >= 0
                            ? "MULTI without EXEC (set aof-load-truncated yes to cut it)"
                            : "truncated record (set aof-load-truncated yes to cut it)");
                    }

                    LogTruncated(logger, path, cutAt, (int)(pendingStart + rest.Length - cutAt));
                    stream.Dispose();
                    using var cut = new FileStream(path, FileMode.Open, FileAccess.Write);
                    cut.SetLength(cutAt);
                    cut.Flush(flushToDisk: true);
                }

                return transactionStart >= 0;
            }
        }
    }

    /// <summary>
    /// The whole commands in <paramref name="bytes"/> (one record range). For a range that is
    /// one key's part of a multi-key command, the single-key command for that key.
    /// </summary>
    public static IEnumerable<byte[][]> Commands(byte[] bytes, int part, byte[] key)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var args = new RequestArgs();
        var commands = new List<byte[][]>();
        while (RequestParser.TryParse(ref reader, args, authenticated: true, long.MaxValue, out _) == ParseStatus.Complete)
        {
            if (args.Count == 0)
            {
                continue;
            }

            string name = args.GetString(0).ToLowerInvariant();
            if (part < 0)
            {
                commands.Add(args.ToArrays(0));
            }
            else if (name is "mset" or "msetnx")
            {
                commands.Add(["SET"u8.ToArray(), key, args.ToArray(2 + (2 * part))]);
            }
            else
            {
                commands.Add(["DEL"u8.ToArray(), key]);
            }
        }

        return commands;
    }

    private static bool IsInline(byte first) => first != (byte)'*';

    // Notes one command's effect on the record index; returns the selected database after it.
    private int Note(RequestArgs args, int db, AofFileInfo file, long offset, int length, string path)
    {
        string name = args.GetString(0).ToLowerInvariant();
        var here = new AofRecordRef((int)file.Seq, file.Type, offset, length);
        switch (name)
        {
            case "select":
                return args.TryGetInt64(1, out long selected) ? (int)selected : throw Damaged(path, offset, "bad SELECT");
            case "multi" or "exec":
                return db;
            case "flushall":
                records.Clear();
                _materialized.Clear();
                return db;
            case "flushdb":
                records.TryRemove(db, out _);
                _materialized.Remove(db);
                return db;
            case "del" or "unlink" when args.Count > 2:
            case "mset" or "msetnx":
                bool isSet = name.StartsWith('m');
                for (int i = 1, part = 0; i < args.Count; i += isSet ? 2 : 1, part++)
                {
                    Replace(db, args.ToArray(i), isSet ? here with { Part = (short)part } : null);
                }

                return db;
            case "rename" or "renamenx":
                MoveKey(db, args.ToArray(1), db, args.ToArray(2));
                return db;
            case "move":
                MoveKey(db, args.ToArray(1), args.TryGetInt64(2, out long target) ? (int)target : throw Damaged(path, offset, "bad MOVE"), args.ToArray(1));
                return db;
            case var _ when IsMove(name):
                NoteMove(name, args, db, path, offset);
                return db;
        }

        if (!AofReplay.IsKeyCommand(name) || args.Count < 2)
        {
            throw Damaged(path, offset, $"the command '{name}' cannot be loaded");
        }

        byte[] key = args.ToArray(1);
        if (name is "del" or "unlink")
        {
            Replace(db, key, null);
        }
        else if (name == "set" && args.Count == 3)
        {
            Replace(db, key, here with { WholeString = true });
        }
        else if (name == "set" && args.Count == 5 && args.Is(3, "PXAT"u8))
        {
            // SET with an absolute expiry (how Redis 7 and we log a string) replaces the key too.
            Replace(db, key, here);
        }
        else if (TryGetMaterialized(db, key, out var kept))
        {
            AofReplay.Apply(kept, [args.ToArrays(0)]);
        }
        else
        {
            var refs = Keys(db).GetOrAdd(key, _ => new List<AofRecordRef>(1));
            refs.Add(here);
        }

        return db;
    }

    private ConcurrentDictionary<byte[], List<AofRecordRef>> Keys(int db) =>
        records.GetOrAdd(db, _ => new ConcurrentDictionary<byte[], List<AofRecordRef>>(ByteArrayComparer.Instance));

    // The key's records become just this one (or none: the key is deleted).
    private void Replace(int db, byte[] key, AofRecordRef? record)
    {
        DropMaterialized(db, key);
        if (record is { } only)
        {
            Keys(db)[key] = [only];
        }
        else
        {
            Keys(db).TryRemove(key, out _);
        }
    }

    private void MoveKey(int fromDb, byte[] from, int toDb, byte[] to)
    {
        // A kept value moves with its key (RENAME, MOVE), and one renamed over is gone.
        bool kept = TryGetMaterialized(fromDb, from, out var state);
        DropMaterialized(fromDb, from);
        DropMaterialized(toDb, to);
        if (kept)
        {
            Keys(toDb).TryRemove(to, out _);
            MaterializedIn(toDb)[to] = state;
            return;
        }

        if (Keys(fromDb).TryRemove(from, out var refs))
        {
            Keys(toDb)[to] = refs;
        }
        else
        {
            Keys(toDb).TryRemove(to, out _);
        }
    }

    private static InvalidDataException Damaged(string path, long offset, string what) =>
        new($"Bad file format reading the append only file {path} at offset {offset}: {what}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AOF {Path} ends with a truncated record at offset {Offset} ({Bytes} bytes): cut there (aof-load-truncated yes)")]
    private static partial void LogTruncated(ILogger logger, string path, long offset, int bytes);
}
