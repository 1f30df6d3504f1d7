using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Keys;

namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// LMOVE, RPOPLPUSH and SMOVE in a file redis-server wrote (it logs them as given, and a served
/// BLMOVE or BRPOPLPUSH as LMOVE or RPOPLPUSH): what reaches the destination depends on the
/// source's state at that point of the log, which no per-key record list can say. So the scan
/// keeps the two keys' values from there on: it builds them from their records so far, carries
/// the move out, and applies every later record of theirs as it meets it. The node writes those
/// values to its AOF once loaded (<see cref="Materialized"/>), and the keys replay from them.
/// </summary>
public sealed partial class AofScanner
{
    private readonly Dictionary<int, Dictionary<byte[], KeyState>> _materialized = [];

    /// <summary>Reads a key's records from the files (to build a value the scan has to keep); without it a move in the log is refused.</summary>
    public Func<IReadOnlyList<AofRecordRef>, byte[], List<byte[][]>>? ReadRecords { get; init; }

    /// <summary>The values the scan kept, per database: every key a move in the log touched, as it stands at the end.</summary>
    public IReadOnlyDictionary<int, Dictionary<byte[], KeyState>> Materialized => _materialized;

    /// <summary>Forgets the kept values (the files are scanned again).</summary>
    public void ForgetMaterialized() => _materialized.Clear();

    private static bool IsMove(string name) => name is "lmove" or "rpoplpush" or "smove";

    private void NoteMove(string name, RequestArgs args, int db, string path, long offset)
    {
        if (ReadRecords is null || args.Count != (name switch { "lmove" => 5, "rpoplpush" => 3, _ => 4 }))
        {
            throw Damaged(path, offset, $"the command '{name}' cannot be loaded");
        }

        byte[] source = args.ToArray(1), destination = args.ToArray(2);
        var from = Materialize(db, source);
        var to = Materialize(db, destination);
        if (name == "smove")
        {
            byte[] member = args.ToArray(3);
            if (Run(from, CommandId.SRem, source, member) is IntegerReply { Value: 1 })
            {
                Run(to, CommandId.SAdd, destination, member);
            }

            return;
        }

        bool fromLeft = name == "lmove" && args.Is(3, "LEFT"u8);
        bool toLeft = name != "lmove" || args.Is(4, "LEFT"u8);
        if (Run(from, fromLeft ? CommandId.LPop : CommandId.RPop, source) is BulkReply { Value: var element })
        {
            Run(to, toLeft ? CommandId.LPush : CommandId.RPush, destination, element);
        }
    }

    // The key's kept value, built from its records so far when the scan first needs it.
    private KeyState Materialize(int db, byte[] key)
    {
        var kept = MaterializedIn(db);
        if (!kept.TryGetValue(key, out var state))
        {
            state = new KeyState();
            if (Keys(db).TryRemove(key, out var refs))
            {
                AofReplay.Apply(state, ReadRecords!(refs, key));
            }

            kept[key] = state;
        }

        return state;
    }

    private Dictionary<byte[], KeyState> MaterializedIn(int db)
    {
        if (!_materialized.TryGetValue(db, out var kept))
        {
            kept = new Dictionary<byte[], KeyState>(ByteArrayComparer.Instance);
            _materialized[db] = kept;
        }

        return kept;
    }

    private bool TryGetMaterialized(int db, byte[] key, out KeyState state)
    {
        state = null!;
        return _materialized.TryGetValue(db, out var kept) && kept.TryGetValue(key, out state!);
    }

    // A record that replaces the key whole (SET, DEL, a FLUSH): nothing kept is needed any more.
    private void DropMaterialized(int db, byte[] key)
    {
        if (_materialized.TryGetValue(db, out var kept))
        {
            kept.Remove(key);
        }
    }

    private static Reply Run(KeyState state, CommandId id, params byte[][] args)
    {
        var reply = Grains.Commands.KeyCommandRunner.Run(state, new KeyCommand(id, args), nowMs: 0);
        state.ResetChanges();
        return reply;
    }
}
