using System.Text.Json;
using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Persistence;

namespace OrleansRedis.Grains.Cluster;

/// <summary>
/// This silo's view of the node set: which node owns each slot, which slots are moving, and
/// which slots this node serves. Key grains enter a slot through <see cref="Enter"/> before
/// they run a command; a view change waits for every command inside, so no write can slip in
/// after a slot stopped being served. With the AOF on the view is kept in <c>nodes.json</c>
/// in the data directory (written before it takes effect), so a restarted node knows its
/// epoch, and a change it was part of, before it serves anything.
/// </summary>
public sealed class NodeTopology
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    // The gate between key commands and view changes: commands count themselves in (_inside);
    // a change raises _changing, waits for _inside to drain, swaps the view and lowers it.
    // Cheaper than a reader-writer lock on the hot path (no internal spin lock per reader).
    private int _inside;
    private int _changing;
    private readonly Lock _changes = new();
    private readonly string? _file;
    private View _view;

    /// <summary>Loads the node's view from its data directory (with the AOF on), or starts with none.</summary>
    public NodeTopology(ILocalSiloDetails silo, AofSettings aof)
    {
        Name = silo.Name;
        _file = aof.Enabled ? FileIn(aof.Dir) : null;
        var saved = _file is not null ? Read(_file) : null;
        var topology = saved is null ? Topology.None : new Topology(saved.Committed, saved.Pending);
        _view = new View(Name, topology, previous: null);
    }

    /// <summary>
    /// The name this node was given when it last ran on data directory <paramref name="dir"/>,
    /// or null: a node restarted without an explicit name keeps the one its data belongs to.
    /// </summary>
    public static string? SavedName(string dir) => Read(FileIn(dir))?.Name;

    /// <summary>This node's stable name.</summary>
    public string Name { get; }

    /// <summary>The committed node set and the pending one, if a change is under way.</summary>
    public Topology Current => _view.Topology;

    /// <summary>The owner of <paramref name="slot"/> in the committed node set (null before the first join).</summary>
    public string? OwnerOf(int slot) => _view.Owners[slot];

    /// <summary>The owner of <paramref name="slot"/> in the pending set, or null when no change is pending.</summary>
    public string? PendingOwnerOf(int slot) => _view.NextOwners?[slot];

    /// <summary>Whether <paramref name="slot"/> changes owner in the pending change.</summary>
    public bool IsMoving(int slot) => _view.NextOwners is { } next && next[slot] != _view.Owners[slot];

    /// <summary>Whether this node owns <paramref name="slot"/> in the committed set (its keys count here).</summary>
    public bool Owns(int slot) => _view.Owners[slot] == Name;

    /// <summary>The epoch since which this node has served <paramref name="slot"/> without a break, or -1 when it does not serve it.</summary>
    public long ServingSince(int slot) => _view.ServingSince[slot];

    /// <summary>
    /// Enters <paramref name="slot"/> to run a command whose activation started serving it at
    /// <paramref name="since"/> (see <see cref="ServingSince"/>); dispose the lease once the
    /// command's effects are queued to the AOF. Throws <see cref="SlotUnavailableException"/>
    /// (moving: the command did nothing and may be retried) when the node no longer serves it,
    /// or has stopped serving it since the activation started.
    /// </summary>
    public Lease Enter(int slot, long since)
    {
        while (true)
        {
            Interlocked.Increment(ref _inside);
            if (Volatile.Read(ref _changing) == 0)
            {
                break;
            }

            // A view change is waiting for commands to drain: step out and wait for it.
            Interlocked.Decrement(ref _inside);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _changing) != 0)
            {
                spin.SpinOnce();
            }
        }

        var view = _view;
        if (view.ServingSince[slot] != since || since < 0)
        {
            Interlocked.Decrement(ref _inside);
            throw new SlotUnavailableException(slot, view.Owners[slot] ?? "", moving: true);
        }

        return new Lease(this);
    }

    /// <summary>Records the pending change to <paramref name="next"/> (its moving slots stop being served). Ignored when not newer.</summary>
    public void Prepare(NodeSet next) => Change(current => next.Epoch > current.Committed.Epoch && (current.Pending is null || next.Epoch >= current.Pending.Epoch)
        ? current with { Pending = next }
        : null);

    /// <summary>Makes <paramref name="next"/> the committed set (and ends a pending change up to it). Ignored when older.</summary>
    public void Commit(NodeSet next) => Change(current =>
        next.Epoch < current.Committed.Epoch || (next.Epoch == current.Committed.Epoch && current.Pending is null)
            ? null
            : new Topology(next, current.Pending is { } pending && pending.Epoch > next.Epoch ? pending : null));

    // Applies a change (null: none) once no command is inside a slot, saving it before it takes effect.
    private void Change(Func<Topology, Topology?> change)
    {
        lock (_changes)
        {
            var next = change(_view.Topology);
            if (next is null)
            {
                return;
            }

            Save(next);
            var view = new View(Name, next, _view);
            Interlocked.Exchange(ref _changing, 1);
            try
            {
                var spin = default(SpinWait);
                while (Volatile.Read(ref _inside) != 0)
                {
                    spin.SpinOnce();
                }

                _view = view;
            }
            finally
            {
                Interlocked.Exchange(ref _changing, 0);
            }
        }
    }

    private void Save(Topology topology)
    {
        if (_file is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        string temporary = _file + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, new Saved(Name, topology.Committed, topology.Pending), Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _file, overwrite: true);
    }

    private static string FileIn(string dir) => Path.Combine(Path.GetFullPath(dir), "nodes.json");

    private static Saved? Read(string file) => File.Exists(file) ? JsonSerializer.Deserialize<Saved>(File.ReadAllText(file), Json) : null;

    // What nodes.json holds: this node's name and its view.
    private sealed record Saved(string Name, NodeSet Committed, NodeSet? Pending);

    /// <summary>A command's hold on its slot; disposing it lets view changes proceed.</summary>
    public readonly struct Lease(NodeTopology topology) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => Interlocked.Decrement(ref topology._inside);
    }

    // One topology with each slot's owners worked out once.
    private sealed class View
    {
        public View(string self, Topology topology, View? previous)
        {
            Topology = topology;
            Owners = OwnersOf(topology.Committed);
            NextOwners = topology.Pending is { } pending ? OwnersOf(pending) : null;
            ServingSince = new long[HashSlot.Count];
            for (int slot = 0; slot < HashSlot.Count; slot++)
            {
                bool serves = Owners[slot] == self && (NextOwners is null || NextOwners[slot] == self);
                long before = previous?.ServingSince[slot] ?? -1;
                ServingSince[slot] = !serves ? -1 : before >= 0 ? before : topology.Committed.Epoch;
            }
        }

        public Topology Topology { get; }

        public string?[] Owners { get; }

        public string?[]? NextOwners { get; }

        public long[] ServingSince { get; }

        private static string?[] OwnersOf(NodeSet set)
        {
            var owners = new string?[HashSlot.Count];
            for (int slot = 0; slot < owners.Length; slot++)
            {
                owners[slot] = SlotOwnership.Owner(slot, set.Nodes, name => name);
            }

            return owners;
        }
    }
}
