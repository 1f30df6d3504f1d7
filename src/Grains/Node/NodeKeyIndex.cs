using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Persistence;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Node;

/// <summary>What the node index knows of a key without activating its grain.</summary>
/// <param name="Type">The key's type.</param>
/// <param name="ExpireAtMs">Absolute expiry in Unix milliseconds, 0 for none.</param>
/// <param name="Size">The bytes the key is counted for (<see cref="Memory.MemoryEstimate"/>).</param>
/// <param name="AccessSeconds">Unix time of the last access, in seconds (kept to the second, for LRU eviction).</param>
/// <param name="Frequency">The LFU counter as of <paramref name="AccessSeconds"/> (for LFU eviction).</param>
[StructLayout(LayoutKind.Auto)] // packed: one is kept per key
public readonly record struct IndexEntry(ValueType Type, long ExpireAtMs, int Size = 0, uint AccessSeconds = 0, byte Frequency = 0)
{
    /// <summary>Whether the key is past its expiry at <paramref name="nowMs"/> (its grain may not have noticed yet).</summary>
    public bool IsExpired(long nowMs) => ExpireAtMs != 0 && ExpireAtMs <= nowMs;
}

/// <summary>
/// The keys of this silo, per database, active or not: for each, its type and expiry (what
/// DBSIZE, KEYS, SCAN, RANDOMKEY and FLUSHDB read instead of asking every key grain; the key
/// grains keep them current) and where its AOF records are (the AOF's writer keeps those).
/// One small entry per key, since an idle key costs only this.
/// </summary>
public sealed class NodeKeyIndex
{
    private readonly ConcurrentDictionary<int, KeySpace> _databases = new();
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<byte[], KeySnapshot>> _parked = new();
    private readonly ConcurrentDictionary<byte[], byte> _active = new(ByteArrayComparer.Instance);
    private long _activeKeyGrains;
    private long _parkedValues;
    private long _usedBytes;
    private long _volatileKeys;
    private long _keyCount;

    /// <summary>The bytes the node's keys are counted for: the sum of their entries' sizes (what maxmemory limits).</summary>
    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>How many keys the node holds (each costs an index entry, counted in the used memory).</summary>
    public long KeyCount => Interlocked.Read(ref _keyCount);

    /// <summary>How many of the node's keys have an expiry (what volatile-* policies may evict).</summary>
    public long VolatileKeys => Interlocked.Read(ref _volatileKeys);

    /// <summary>Key grains active on this silo right now.</summary>
    public long ActiveKeyGrains => Interlocked.Read(ref _activeKeyGrains);

    /// <summary>The grain keys (<see cref="KeyAddress"/>) of the active key grains, for shedding idle ones under maxmemory.</summary>
    public ICollection<byte[]> ActiveAddresses => _active.Keys;

    private readonly ConcurrentDictionary<byte[], byte> _evicting = new(ByteArrayComparer.Instance);

    /// <summary>
    /// Claims an idle key (<see cref="KeyAddress"/>) for eviction without its grain: false when
    /// its grain is active or activating. A grain that activates meanwhile waits for the claim's
    /// release (see <see cref="IsClaimed"/>), then replays the records, the DEL included.
    /// </summary>
    public bool TryClaimIdle(byte[] address)
    {
        if (_active.ContainsKey(address) || !_evicting.TryAdd(address, 0))
        {
            return false;
        }

        // Against a grain that marks itself active as we claim: each side writes, then reads the other's mark.
        Interlocked.MemoryBarrier();
        if (_active.ContainsKey(address))
        {
            _evicting.TryRemove(address, out _);
            return false;
        }

        return true;
    }

    /// <summary>Whether the key is claimed for eviction (an activating grain waits until it is not).</summary>
    public bool IsClaimed(byte[] address) => _evicting.ContainsKey(address);

    /// <summary>Releases a claim of <see cref="TryClaimIdle"/>.</summary>
    public void ReleaseClaim(byte[] address) => _evicting.TryRemove(address, out _);

    /// <summary>Whether the grain of <paramref name="address"/> (see <see cref="KeyAddress"/>) is active or activating.</summary>
    public bool IsKeyGrainActive(byte[] address) => _active.ContainsKey(address);

    /// <summary>Records a key grain's activation (<paramref name="active"/>) or deactivation.</summary>
    public void KeyGrainActive(byte[] address, bool active)
    {
        bool changed = active ? _active.TryAdd(address, 0) : _active.TryRemove(address, out _);
        Interlocked.MemoryBarrier();
        if (changed)
        {
            Interlocked.Add(ref _activeKeyGrains, active ? 1 : -1);
        }
    }

    /// <summary>Records that <paramref name="key"/> exists in <paramref name="db"/> with this type and expiry.</summary>
    public void Set(int db, byte[] key, IndexEntry entry)
    {
        var database = Database(db);
        var outcome = database.Keys.Change(key, entry, static (_, slot, e) => (true, slot with { Entry = e }));
        Changed(database, key, outcome.Before.Entry, entry);
    }

    /// <summary>Records that <paramref name="key"/> no longer exists in <paramref name="db"/> (its records go with it).</summary>
    public void Remove(int db, byte[] key)
    {
        if (_databases.TryGetValue(db, out var database) && database.Keys.TryRemove(key, out var removed))
        {
            Changed(database, key, removed.Entry, default);
        }

        TakeParked(db, key);
    }

    /// <summary>The keys of <paramref name="db"/> that exist and have not expired at <paramref name="nowMs"/> (a walk of them all).</summary>
    public IEnumerable<KeyValuePair<byte[], IndexEntry>> LiveKeys(int db, long nowMs) =>
        _databases.TryGetValue(db, out var database)
            ? database.Keys.Pairs().Where(pair => pair.Value.Entry.Type != ValueType.None && !pair.Value.Entry.IsExpired(nowMs))
                .Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Entry))
            : [];

    /// <summary>The entry of <paramref name="key"/>, or null when the index has none.</summary>
    public IndexEntry? Entry(int db, byte[] key) =>
        _databases.TryGetValue(db, out var database) && database.Keys.TryGetValue(key, out var slot) && slot.Entry.Type != ValueType.None ? slot.Entry : null;

    /// <summary>
    /// Adds to <paramref name="into"/> the existing keys of <paramref name="db"/> (only those with
    /// an expiry: <paramref name="volatileOnly"/>) from <paramref name="cursor"/> on in
    /// <see cref="ScanOrder"/>, at least <paramref name="count"/> when there are, and returns the
    /// cursor after them (0 at the end): cost in proportion to <paramref name="count"/>.
    /// </summary>
    public ulong Walk(int db, ulong cursor, int count, List<byte[]> into, bool volatileOnly = false) =>
        _databases.TryGetValue(db, out var database) ? (volatileOnly ? database.Volatile : database.All).Walk(cursor, count, into) : 0;

    /// <summary>A random existing key of <paramref name="db"/> (only among those with an expiry: <paramref name="volatileOnly"/>), or null.</summary>
    public byte[]? RandomKey(int db, bool volatileOnly = false) =>
        _databases.TryGetValue(db, out var database) ? (volatileOnly ? database.Volatile : database.All).Random() : null;

    /// <summary>How many existing keys of <paramref name="db"/> are in the hash slots <paramref name="counted"/> says (expired ones too, until they go, as in Redis).</summary>
    public (long Keys, long Volatile) CountIn(int db, Func<int, bool> counted)
    {
        if (!_databases.TryGetValue(db, out var database))
        {
            return (0, 0);
        }

        long keys = 0, volatileKeys = 0;
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            if (database.SlotKeys[slot] != 0 && counted(slot))
            {
                keys += Volatile.Read(ref database.SlotKeys[slot]);
                volatileKeys += Volatile.Read(ref database.SlotVolatileKeys[slot]);
            }
        }

        return (keys, volatileKeys);
    }

    /// <summary>How many existing keys of <paramref name="db"/> there are (only those with an expiry: <paramref name="volatileOnly"/>).</summary>
    public long CountOf(int db, bool volatileOnly = false) =>
        _databases.TryGetValue(db, out var database) ? (volatileOnly ? database.Volatile : database.All).Count : 0;

    /// <summary>Every existing key of every database with its entry (a walk of them all: slot moves).</summary>
    public IEnumerable<(int Db, byte[] Key, IndexEntry Entry)> Entries() =>
        _databases.SelectMany(db => db.Value.Keys.Pairs().Where(pair => pair.Value.Entry.Type != ValueType.None).Select(pair => (db.Key, pair.Key, pair.Value.Entry)));

    /// <summary>The databases that hold at least one key.</summary>
    public IEnumerable<int> Databases => _databases.Where(pair => pair.Value.All.Count > 0).Select(pair => pair.Key).Order();

    /// <summary>Where the key's AOF records are, oldest first.</summary>
    public AofRecordRef[] Records(int db, byte[] key) =>
        _databases.TryGetValue(db, out var database) && database.Keys.TryGetValue(key, out var slot) ? slot.All() : [];

    /// <summary>Every key that has AOF records, with them (for a rewrite).</summary>
    public IEnumerable<(int Db, byte[] Key, AofRecordRef[] Records)> AllRecords() =>
        _databases.SelectMany(db => db.Value.Keys.Pairs().Where(k => k.Value.Count > 0).Select(k => (db.Key, k.Key, k.Value.All())));

    /// <summary>Adds a record position to a key, or makes it the only one (<paramref name="replace"/>).</summary>
    public void AddRecord(int db, byte[] key, AofRecordRef record, bool replace) =>
        Database(db).Keys.Change(
            key,
            (Record: record, Replace: replace),
            static (exists, slot, r) => (true, !exists || r.Replace || slot.Count == 0 ? slot.WithOnly(r.Record) : slot.Append(r.Record)));

    /// <summary>Drops a deleted key's record positions (and its entry, unless its grain has already recreated it).</summary>
    public void RemoveRecords(int db, byte[] key) =>
        Database(db).Keys.Change(
            key,
            0,
            static (exists, slot, _) => exists && slot.Entry.Type != ValueType.None ? (true, slot.WithOnly(default)) : (false, default));

    /// <summary>Replaces the record positions of a key by what <paramref name="replace"/> makes of them (a rewrite's switch).</summary>
    public void ReplaceRecords(int db, byte[] key, Func<AofRecordRef[], AofRecordRef[]> replace) =>
        Database(db).Keys.Change(
            key,
            replace,
            static (exists, slot, replace) =>
            {
                if (!exists || slot.Count == 0)
                {
                    return (exists, slot);
                }

                var records = replace(slot.All());
                return (true, records.Length == 0
                    ? slot.WithOnly(default)
                    : slot with { First = records[0], More = records.Length > 1 ? records[1..] : null, MoreCount = records.Length - 1 });
            });

    /// <summary>
    /// Keeps the value of a key that moved here while its grain is not active (only without
    /// the AOF, where nothing else holds it); its grain takes it when it activates.
    /// </summary>
    public void Park(int db, byte[] key, KeySnapshot value)
    {
        var keys = _parked.GetOrAdd(db, _ => new ConcurrentDictionary<byte[], KeySnapshot>(ByteArrayComparer.Instance));
        if (keys.TryAdd(key, value))
        {
            Interlocked.Increment(ref _parkedValues);
        }
        else
        {
            keys[key] = value;
        }
    }

    /// <summary>Takes the parked value of a key (see <see cref="Park"/>), or null.</summary>
    public KeySnapshot? TakeParked(int db, byte[] key)
    {
        if (_parked.TryGetValue(db, out var keys) && keys.TryRemove(key, out var value))
        {
            Interlocked.Decrement(ref _parkedValues);
            return value;
        }

        return null;
    }

    /// <summary>How many values are parked (see <see cref="Park"/>): each costs a little over its index entry.</summary>
    public long ParkedValues => Interlocked.Read(ref _parkedValues);

    /// <summary>The parked value of a key, left in place, or null.</summary>
    public KeySnapshot? PeekParked(int db, byte[] key) =>
        _parked.TryGetValue(db, out var keys) && keys.TryGetValue(key, out var value) ? value : null;

    private static int Exists(IndexEntry entry) => entry.Type == ValueType.None ? 0 : 1;

    private static int IsVolatile(IndexEntry entry) => entry.Type != ValueType.None && entry.ExpireAtMs != 0 ? 1 : 0;

    private KeySpace Database(int db) => _databases.GetOrAdd(db, _ => new KeySpace());

    // After a key's entry went from before to after: the counters, and the ordered sets, which
    // are synced from the entry as it is now (see PositionIndex.Sync).
    private void Changed(KeySpace database, byte[] key, IndexEntry before, IndexEntry after)
    {
        int exists = Exists(after) - Exists(before);
        int volatileChange = IsVolatile(after) - IsVolatile(before);
        Interlocked.Add(ref _usedBytes, after.Size - before.Size);
        if (exists != 0 || volatileChange != 0)
        {
            int slot = HashSlot.Of(key);
            Interlocked.Add(ref _keyCount, exists);
            Interlocked.Add(ref _volatileKeys, volatileChange);
            Interlocked.Add(ref database.SlotKeys[slot], exists);
            Interlocked.Add(ref database.SlotVolatileKeys[slot], volatileChange);
        }

        if (exists != 0)
        {
            database.All.Sync(key, static state => state.Database.Holds(state.Key, volatileOnly: false), (Database: database, Key: key));
        }

        if (volatileChange != 0)
        {
            database.Volatile.Sync(key, static state => state.Database.Holds(state.Key, volatileOnly: true), (Database: database, Key: key));
        }
    }

    // One database's keys: their entries, the same keys in SCAN order (all, and those with an
    // expiry), and how many keys each hash slot has.
    private sealed class KeySpace
    {
        public readonly KeyTable<Slot> Keys = new();
        public readonly PositionIndex All = new(bucketBits: 16);
        public readonly PositionIndex Volatile = new(bucketBits: 12);
        public readonly int[] SlotKeys = new int[HashSlot.Count];
        public readonly int[] SlotVolatileKeys = new int[HashSlot.Count];

        public bool Holds(byte[] key, bool volatileOnly) =>
            Keys.TryGetValue(key, out var slot) && (volatileOnly ? IsVolatile(slot.Entry) : Exists(slot.Entry)) == 1;
    }

    // A key's entry: type and expiry, and its record positions (the first inline; a key with
    // no records has First.Length 0).
    private readonly record struct Slot(IndexEntry Entry, AofRecordRef First, AofRecordRef[]? More, int MoreCount)
    {
        public int Count => First.Length == 0 ? 0 : 1 + MoreCount;

        public AofRecordRef[] All() => Count == 0 ? [] : [First, .. More.AsSpan(0, MoreCount)];

        // The same entry with this one record (none: default).
        public Slot WithOnly(AofRecordRef record) => this with { First = record, More = null, MoreCount = 0 };

        // Amortized O(1): the array has spare room, doubled when full. Versions of the slot share
        // it, each seeing only its own count; only the AOF's writer loop appends, one record at
        // a time, so no two appends race for the same free place.
        public Slot Append(AofRecordRef record)
        {
            var more = More;
            if (more is null || MoreCount == more.Length)
            {
                var grown = new AofRecordRef[Math.Max(4, MoreCount * 2)];
                more?.AsSpan(0, MoreCount).CopyTo(grown);
                more = grown;
            }

            more[MoreCount] = record;
            return this with { More = more, MoreCount = MoreCount + 1 };
        }
    }
}
