using OrleansRedis.Abstractions.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// The value and expiry of one key, as a key grain holds it. Command families read and change
/// it; the grain notices changes of type and expiry and tells the node's key index.
/// </summary>
/// <param name="encodings">The node's encoding thresholds (Redis's defaults when null).</param>
public sealed class KeyState(EncodingSettings? encodings = null)
{
    // The thresholds in force now: a collection converts by those at the moment it grows past them, as in Redis.
    private Abstractions.Grains.EncodingThresholds Thresholds => encodings?.Current ?? Abstractions.Grains.EncodingThresholds.Default;

    /// <summary>What the key holds; <see cref="ValueType.None"/> when it does not exist.</summary>
    public ValueType Type { get; private set; }

    /// <summary>The string value, when <see cref="Type"/> is String. Never mutated in place: replies share it.</summary>
    public byte[]? String { get; private set; }

    /// <summary>The hash's fields, when <see cref="Type"/> is Hash. Field and value arrays are never mutated in place.</summary>
    public Dictionary<byte[], byte[]>? Hash { get; private set; }

    /// <summary>
    /// Whether the hash has stopped being a listpack, as Redis 7.0 says (OBJECT ENCODING): at most
    /// hash-max-listpack-entries fields, no field or value longer than hash-max-listpack-value;
    /// once a hashtable it stays one.
    /// </summary>
    public bool HashIsHashtable { get; private set; }

    /// <summary>The list's elements, when <see cref="Type"/> is List. Change it through the list commands, which report each change (see <see cref="ListChanged"/>).</summary>
    public ListValue? List { get; private set; }

    /// <summary>The set's members, when <see cref="Type"/> is Set. Change it through <see cref="AddMember"/> and <see cref="RemoveMember"/>.</summary>
    public SetValue? Set { get; private set; }

    /// <summary>
    /// Whether the set has stopped being an intset, as Redis 7.0 says (OBJECT ENCODING): a set
    /// is an intset while every member is an integer and it has at most set-max-intset-entries
    /// of them; once converted to a hashtable it stays one.
    /// </summary>
    public bool SetIsHashtable { get; private set; }

    /// <summary>The sorted set, when <see cref="Type"/> is SortedSet. Change it through <see cref="SetScore"/> and <see cref="RemoveScored"/>.</summary>
    public SortedSetValue? SortedSet { get; private set; }

    /// <summary>
    /// Whether the sorted set has stopped being a listpack, as Redis 7.0 says (OBJECT ENCODING):
    /// at most zset-max-listpack-entries members of at most zset-max-listpack-value
    /// bytes; once a skiplist it stays one.
    /// </summary>
    public bool SortedSetIsSkiplist { get; private set; }

    /// <summary>Absolute expiry in Unix milliseconds; 0 when the key does not expire.</summary>
    public long ExpireAtMs
    {
        get => _expireAtMs;
        set
        {
            if (value != _expireAtMs)
            {
                _expiryChanged = true;
                Version++;
            }

            _expireAtMs = value;
        }
    }

    /// <summary>Counts every change of value or expiry: a command changed the key when it differs before and after (keyspace notifications).</summary>
    public long Version { get; private set; }

    // What changed since ResetChanges, so that the effects can be logged (see Effects).
    private long _expireAtMs;
    private bool _replaced;
    private bool _stringChanged;

    // Whether the string was set whole since the last reset (else its changes are the patches).
    private bool _stringWhole;
    private List<byte[][]>? _stringPatches;
    private bool _expiryChanged;
    private HashSet<byte[]>? _changedFields;

    // A list's changes, as the commands that make them (name and arguments after the key).
    private List<byte[][]>? _listChanges;

    /// <summary>When a command last touched the key, in Unix milliseconds (OBJECT IDLETIME); not logged.</summary>
    public long LastAccessMs { get; set; }

    /// <summary>The bytes of the hash's fields and values, or of the set's members (kept as they change, for the memory estimate).</summary>
    public long HashBytes { get; private set; }

    /// <summary>The LFU counter (see <see cref="Memory.Lfu"/>), as of <see cref="FrequencyMinute"/>.</summary>
    public byte Frequency { get; set; } = Memory.Lfu.Initial;

    /// <summary>The minute (Unix time) <see cref="Frequency"/> was last decayed and counted at.</summary>
    public long FrequencyMinute { get; set; }

    /// <summary>Whether the key exists.</summary>
    public bool Exists => Type != ValueType.None;

    /// <summary>
    /// The hash's fields (or the set's members) in SCAN order, built at the first HSCAN (SSCAN)
    /// that needs it (more than 128 of them) and kept by <see cref="SetField"/>,
    /// <see cref="RemoveField"/>, <see cref="AddMember"/> and <see cref="RemoveMember"/> from
    /// then on, so a call costs what it returns, not the collection's size.
    /// </summary>
    public Node.PositionIndex FieldsInScanOrder()
    {
        int count = Hash?.Count ?? Set?.Count ?? SortedSet?.Count ?? 0;
        if (_fieldOrder is null || count > (1L << _fieldOrder.BucketBits) * 64)
        {
            // About 16 fields a bucket; rebuilt larger as the hash grows (the items walked only then).
            IEnumerable<byte[]> items = (IEnumerable<byte[]>?)Hash?.Keys ?? Set ?? SortedSet?.InOrder().Select(e => e.Member!) ?? [];
            int bits = Math.Clamp(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, count / 16)), 6, 20);
            _fieldOrder = new Node.PositionIndex(bits);
            foreach (var field in items)
            {
                _fieldOrder.Sync(field, static _ => true, 0);
            }
        }

        return _fieldOrder;
    }

    private Node.PositionIndex? _fieldOrder;

    /// <summary>How Redis would have made the string, which its OBJECT ENCODING tells (see <see cref="StringOrigin"/>).</summary>
    public StringOrigin StringOrigin { get; private set; }

    /// <summary>Makes the key a string holding <paramref name="value"/>, made as <paramref name="origin"/> says; the expiry is left as it is.</summary>
    public void SetString(byte[] value, StringOrigin origin = StringOrigin.Whole)
    {
        StringOrigin = origin;
        _replaced |= Exists && Type != ValueType.String;
        _stringChanged = true;
        _stringWhole = true;
        _stringPatches = null;
        Version++;
        Type = ValueType.String;
        String = value;
        Hash = null;
        List = null;
        Set = null;
        SortedSet = null;
        _fieldOrder = null;
        HashBytes = 0;
    }

    /// <summary>
    /// Changes part of an existing string in place (SETRANGE, APPEND, SETBIT, BITFIELD):
    /// <paramref name="value"/> is the whole new value; <paramref name="patch"/> the command
    /// (name first, without the key) that makes it from the old one, which the AOF records
    /// instead of the whole value. On a key that is not a string yet, the value is set whole.
    /// </summary>
    public void PatchString(byte[] value, byte[][] patch)
    {
        if (Type != ValueType.String)
        {
            SetString(value, StringOrigin.InPlace);
            return;
        }

        StringOrigin = StringOrigin.InPlace;
        String = value;
        _stringChanged = true;
        Version++;
        if (!_stringWhole)
        {
            (_stringPatches ??= []).Add(patch);
        }
    }

    /// <summary>Returns the hash, making the key an empty hash first if it does not exist. Change fields through <see cref="SetField"/> and <see cref="RemoveField"/>.</summary>
    private Dictionary<byte[], byte[]> GetOrCreateHash()
    {
        if (Hash is null)
        {
            Type = ValueType.Hash;
            String = null;
            Hash = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
            HashIsHashtable = false;
        }

        return Hash;
    }

    /// <summary>Sets a hash field, making the key a hash first if it does not exist; returns whether the field is new.</summary>
    public bool SetField(byte[] field, byte[] value)
    {
        var hash = GetOrCreateHash();
        bool added = hash.TryAdd(field, value);
        if (!added)
        {
            HashBytes -= hash[field].Length;
            hash[field] = value;
            HashBytes += value.Length;
        }
        else
        {
            HashBytes += field.Length + value.Length;
            _fieldOrder?.Sync(field, static _ => true, 0);
        }

        var limits = Thresholds;
        HashIsHashtable |= hash.Count > limits.HashEntries || field.Length > limits.HashValue || value.Length > limits.HashValue;
        FieldChanged(field);
        Version++;
        return added;
    }

    /// <summary>Removes a hash field; returns whether it was there. The key is not deleted here (see <see cref="DeleteIfEmpty"/>).</summary>
    public bool RemoveField(byte[] field)
    {
        if (Hash is null || !Hash.Remove(field, out var value))
        {
            return false;
        }

        HashBytes -= field.Length + value.Length;
        _fieldOrder?.Sync(field, static _ => false, 0);
        FieldChanged(field);
        Version++;
        return true;
    }

    private void FieldChanged(byte[] field) => (_changedFields ??= new HashSet<byte[]>(ByteArrayComparer.Instance)).Add(field);

    /// <summary>Returns the list, making the key an empty list first if it does not exist.</summary>
    public ListValue GetOrCreateList()
    {
        if (List is null)
        {
            Type = ValueType.List;
            String = null;
            List = new ListValue();
        }

        return List;
    }

    /// <summary>
    /// Reports a change a list command made, as the deterministic command that makes it again
    /// (its name and the arguments after the key): the AOF logs these.
    /// </summary>
    public void ListChanged(params byte[][] command)
    {
        Version++;
        (_listChanges ??= []).Add(command);
    }

    /// <summary>Adds a set member, making the key a set first if it does not exist; returns whether it is new.</summary>
    public bool AddMember(byte[] member)
    {
        if (Set is null)
        {
            Type = ValueType.Set;
            String = null;
            Set = new SetValue();
            SetIsHashtable = false;
        }

        if (!Set.Add(member))
        {
            return false;
        }

        SetIsHashtable |= Set.Count > Thresholds.SetIntsetEntries || !Abstractions.Text.RedisNumber.TryParseInt64(member, out _);
        MemberChanged(member, added: true);
        return true;
    }

    /// <summary>Removes a set member; returns whether it was there. The key is not deleted here (see <see cref="DeleteIfEmpty"/>).</summary>
    public bool RemoveMember(byte[] member)
    {
        if (Set is null || !Set.Remove(member))
        {
            return false;
        }

        MemberChanged(member, added: false);
        return true;
    }

    /// <summary>Sets a sorted set member's score, making the key a sorted set first if it does not exist; returns whether the member is new.</summary>
    public bool SetScore(byte[] member, double score)
    {
        if (SortedSet is null)
        {
            Type = ValueType.SortedSet;
            String = null;
            SortedSet = new SortedSetValue();
            SortedSetIsSkiplist = false;
        }

        if (SortedSet.TryGetScore(member, out double old) && old == score)
        {
            return false;
        }

        bool added = SortedSet.Set(member, score);
        if (added)
        {
            var limits = Thresholds;
            SortedSetIsSkiplist |= SortedSet.Count > limits.SortedSetEntries || member.Length > limits.SortedSetValue;
            MemberChanged(member, added: true);
        }
        else
        {
            FieldChanged(member);
            Version++;
        }

        return added;
    }

    /// <summary>Removes a sorted set member; returns whether it was there. The key is not deleted here (see <see cref="DeleteIfEmpty"/>).</summary>
    public bool RemoveScored(byte[] member)
    {
        if (SortedSet is null || !SortedSet.Remove(member))
        {
            return false;
        }

        MemberChanged(member, added: false);
        return true;
    }

    // A set's or sorted set's member came or went: its bytes, its place in SCAN order, its record.
    private void MemberChanged(byte[] member, bool added)
    {
        HashBytes += added ? member.Length : -member.Length;
        _fieldOrder?.Sync(member, added ? static _ => true : static _ => false, 0);
        FieldChanged(member);
        Version++;
    }

    /// <summary>Deletes the key if it is a hash, list or set that has become empty, as Redis does.</summary>
    public void DeleteIfEmpty()
    {
        if ((Type == ValueType.Hash && Hash!.Count == 0) || (Type == ValueType.List && List!.Count == 0) || (Type == ValueType.Set && Set!.Count == 0)
            || (Type == ValueType.SortedSet && SortedSet!.Count == 0))
        {
            Clear();
        }
    }

    /// <summary>Deletes the key.</summary>
    public void Clear()
    {
        if (Exists)
        {
            Version++;
        }

        _replaced |= Exists;
        Type = ValueType.None;
        String = null;
        Hash = null;
        List = null;
        Set = null;
        SortedSet = null;
        _fieldOrder = null;
        HashBytes = 0;
        ExpireAtMs = 0;
    }

    /// <summary>Whether the key has an expiry at or before <paramref name="nowMs"/>.</summary>
    public bool IsExpired(long nowMs) => ExpireAtMs != 0 && ExpireAtMs <= nowMs;

    /// <summary>The key's whole value and expiry.</summary>
    public KeySnapshot? ToSnapshot()
    {
        if (!Exists)
        {
            return null;
        }

        byte[][]? hash = Hash?.SelectMany(pair => new[] { pair.Key, pair.Value }).ToArray();
        return new KeySnapshot(Type, String, hash, ExpireAtMs)
        {
            StringOrigin = StringOrigin,
            ListElements = List?.ToList().ToArray(),
            SetMembers = Set?.ToArray(),
            SortedSetMembers = SortedSet?.InOrder().Select(e => e.Member!).ToArray(),
            SortedSetScores = SortedSet?.InOrder().Select(e => e.Score).ToArray(),
        };
    }

    /// <summary>Replaces the value and expiry with <paramref name="snapshot"/>.</summary>
    public void Load(KeySnapshot snapshot)
    {
        Clear();
        if (snapshot.Type == ValueType.String)
        {
            SetString(snapshot.String!, snapshot.StringOrigin);
        }
        else if (snapshot.Type == ValueType.Hash)
        {
            var items = snapshot.HashFieldsAndValues!;
            for (int i = 0; i + 1 < items.Length; i += 2)
            {
                SetField(items[i], items[i + 1]);
            }
        }
        else if (snapshot.Type == ValueType.SortedSet)
        {
            for (int i = 0; i < snapshot.SortedSetMembers!.Length; i++)
            {
                SetScore(snapshot.SortedSetMembers[i], snapshot.SortedSetScores![i]);
            }
        }
        else if (snapshot.Type == ValueType.Set)
        {
            foreach (var member in snapshot.SetMembers!)
            {
                AddMember(member);
            }
        }
        else if (snapshot.Type == ValueType.List)
        {
            var list = GetOrCreateList();
            foreach (var element in snapshot.ListElements!)
            {
                list.PushTail(element);
            }
        }

        ExpireAtMs = snapshot.ExpireAtMs;
        _replaced = true;
    }

    /// <summary>Forgets what changed (after the effects were logged, or after replay).</summary>
    public void ResetChanges()
    {
        _replaced = _stringChanged = _stringWhole = _expiryChanged = false;
        _stringPatches = null;
        _changedFields = null;
        _listChanges = null;
    }

    /// <summary>Whether anything changed since <see cref="ResetChanges"/>.</summary>
    public bool HasChanges => _replaced || _stringChanged || _expiryChanged || _changedFields is not null || _listChanges is not null;

    /// <summary>
    /// The changes since <see cref="ResetChanges"/> as deterministic Redis commands on
    /// <paramref name="key"/>, the way the AOF records them: a deleted key as DEL; a string,
    /// whatever changed, as one SET of its value with its absolute expiry (PXAT), which alone
    /// rebuilds it; a replaced hash as DEL then its fields; changed fields as HSET and HDEL; a
    /// hash's changed expiry as PEXPIREAT or PERSIST. <paramref name="replacesAll"/> tells whether
    /// the commands alone rebuild the key (earlier records are then obsolete).
    /// </summary>
    public List<byte[][]> Effects(byte[] key, out bool replacesAll)
    {
        bool patched = Type == ValueType.String && _stringPatches is not null && !_stringWhole && !_replaced && !_expiryChanged;
        replacesAll = _replaced || !Exists || (Type == ValueType.String && !patched);
        if (!Exists)
        {
            return _replaced ? [[Names.Del, key]] : [];
        }

        if (patched)
        {
            return _stringPatches!.Select(patch => (byte[][])[patch[0], key, .. patch.AsSpan(1)]).ToList();
        }

        if (Type == ValueType.String)
        {
            return [StringRecord(key)];
        }

        if (_replaced)
        {
            return [[Names.Del, key], .. Records(key)];
        }

        var effects = new List<byte[][]>();
        foreach (var change in _listChanges ?? [])
        {
            effects.Add([change[0], key, .. change.AsSpan(1)]);
        }

        if (_changedFields is not null && Type == ValueType.SortedSet)
        {
            var removed = _changedFields.Where(m => !SortedSet!.TryGetScore(m, out _)).ToList();
            if (removed.Count > 0)
            {
                effects.Add([Names.ZRem, key, .. removed]);
            }

            effects.AddRange(ZAdds(key, _changedFields.Where(m => SortedSet!.TryGetScore(m, out _))));
        }
        else if (_changedFields is not null && Type == ValueType.Set)
        {
            var removed = _changedFields.Where(m => !Set!.Contains(m)).ToList();
            if (removed.Count > 0)
            {
                effects.Add([Names.SRem, key, .. removed]);
            }

            effects.AddRange(SAdds(key, _changedFields.Where(Set!.Contains)));
        }
        else if (_changedFields is not null)
        {
            var removed = _changedFields.Where(f => !Hash!.ContainsKey(f)).ToList();
            if (removed.Count > 0)
            {
                effects.Add([Names.HDel, key, .. removed]);
            }

            effects.AddRange(HSets(key, _changedFields.Where(Hash!.ContainsKey)));
        }

        if (_expiryChanged)
        {
            effects.Add(ExpiryRecord(key));
        }

        return effects;
    }

    /// <summary>The fewest commands that build the key as it is now, from nothing (what an AOF rewrite writes).</summary>
    public List<byte[][]> Records(byte[] key)
    {
        if (Type == ValueType.String)
        {
            return [StringRecord(key)];
        }

        var records = Type switch
        {
            ValueType.List => RPushes(key),
            ValueType.Set => SAdds(key, Set!),
            ValueType.SortedSet => ZAdds(key, SortedSet!.InOrder().Select(e => e.Member!)),
            _ => HSets(key, Hash!.Keys),
        };
        if (ExpireAtMs != 0)
        {
            records.Add(ExpiryRecord(key));
        }

        return records;
    }

    // SET key value [PXAT expiry]: the whole string key in one record.
    private byte[][] StringRecord(byte[] key) =>
        ExpireAtMs != 0
            ? [Names.Set, key, String!, Names.PxAt, OrleansRedis.Abstractions.Text.RedisNumber.Format(ExpireAtMs)]
            : [Names.Set, key, String!];

    // HSET commands for the fields, at most 64 fields each, as Redis's rewrite writes them.
    private List<byte[][]> HSets(byte[] key, IEnumerable<byte[]> fields) =>
        fields.Chunk(64).Select(chunk => (byte[][])[Names.HSet, key, .. chunk.SelectMany(f => new[] { f, Hash![f] })]).ToList();

    // SADD commands for the members, at most 64 each, as Redis's rewrite writes them.
    private static List<byte[][]> SAdds(byte[] key, IEnumerable<byte[]> members) =>
        members.Chunk(64).Select(chunk => (byte[][])[Names.SAdd, key, .. chunk]).ToList();

    // ZADD commands for the members with their scores (%.17g, which reads back exactly), at most 64 each.
    private List<byte[][]> ZAdds(byte[] key, IEnumerable<byte[]> members) =>
        members.Chunk(64).Select(chunk => (byte[][])[Names.ZAdd, key, .. chunk.SelectMany(m => new[] { ScoreText(m), m })]).ToList();

    private byte[] ScoreText(byte[] member) =>
        System.Text.Encoding.ASCII.GetBytes(OrleansRedis.Abstractions.Text.RedisNumber.FormatDouble(SortedSet!.TryGetScore(member, out double score) ? score : 0));

    // RPUSH commands for the list's elements, at most 64 each, as Redis's rewrite writes them.
    private List<byte[][]> RPushes(byte[] key) =>
        List!.ToList().Chunk(64).Select(chunk => (byte[][])[Names.RPush, key, .. chunk]).ToList();

    private byte[][] ExpiryRecord(byte[] key) =>
        ExpireAtMs != 0 ? [Names.PExpireAt, key, OrleansRedis.Abstractions.Text.RedisNumber.Format(ExpireAtMs)] : [Names.Persist, key];

    // Command names of the records, shared so that logging allocates none of them.
    /// <summary>The record of <paramref name="key"/>'s deletion.</summary>
    public static List<byte[][]> Deletion(byte[] key) => [[Names.Del, key]];

    private static class Names
    {
        public static readonly byte[] Del = "DEL"u8.ToArray();
        public static readonly byte[] Set = "SET"u8.ToArray();
        public static readonly byte[] PxAt = "PXAT"u8.ToArray();
        public static readonly byte[] HSet = "HSET"u8.ToArray();
        public static readonly byte[] HDel = "HDEL"u8.ToArray();
        public static readonly byte[] RPush = "RPUSH"u8.ToArray();
        public static readonly byte[] SAdd = "SADD"u8.ToArray();
        public static readonly byte[] SRem = "SREM"u8.ToArray();
        public static readonly byte[] ZAdd = "ZADD"u8.ToArray();
        public static readonly byte[] ZRem = "ZREM"u8.ToArray();
        public static readonly byte[] PExpireAt = "PEXPIREAT"u8.ToArray();
        public static readonly byte[] Persist = "PERSIST"u8.ToArray();
    }
}
