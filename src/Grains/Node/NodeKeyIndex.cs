using System.Collections.Concurrent;
using OrleansRedis.Abstractions.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Node;

/// <summary>What the node index knows of a key without activating its grain.</summary>
/// <param name="Type">The key's type.</param>
/// <param name="ExpireAtMs">Absolute expiry in Unix milliseconds, 0 for none.</param>
public readonly record struct IndexEntry(ValueType Type, long ExpireAtMs)
{
    /// <summary>Whether the key is past its expiry at <paramref name="nowMs"/> (its grain may not have noticed yet).</summary>
    public bool IsExpired(long nowMs) => ExpireAtMs != 0 && ExpireAtMs <= nowMs;
}

/// <summary>
/// The keys that exist on this silo, per database: what DBSIZE, KEYS, SCAN, RANDOMKEY and
/// FLUSHDB read instead of asking every key grain. Key grains keep it current.
/// </summary>
public sealed class NodeKeyIndex
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<byte[], IndexEntry>> _databases = new();
    private long _activeKeyGrains;

    /// <summary>Key grains active on this silo right now.</summary>
    public long ActiveKeyGrains => Interlocked.Read(ref _activeKeyGrains);

    /// <summary>Counts a key grain's activation (+1) or deactivation (-1).</summary>
    public void KeyGrainActive(bool active) => Interlocked.Add(ref _activeKeyGrains, active ? 1 : -1);

    /// <summary>Records that <paramref name="key"/> exists in <paramref name="db"/> with this type and expiry.</summary>
    public void Set(int db, byte[] key, IndexEntry entry) =>
        _databases.GetOrAdd(db, _ => new ConcurrentDictionary<byte[], IndexEntry>(ByteArrayComparer.Instance))[key] = entry;

    /// <summary>Records that <paramref name="key"/> no longer exists in <paramref name="db"/>.</summary>
    public void Remove(int db, byte[] key)
    {
        if (_databases.TryGetValue(db, out var keys))
        {
            keys.TryRemove(key, out _);
        }
    }

    /// <summary>The keys of <paramref name="db"/> that exist and have not expired at <paramref name="nowMs"/>.</summary>
    public IEnumerable<KeyValuePair<byte[], IndexEntry>> LiveKeys(int db, long nowMs) =>
        _databases.TryGetValue(db, out var keys)
            ? keys.Where(pair => !pair.Value.IsExpired(nowMs))
            : [];

    /// <summary>The databases that hold at least one key.</summary>
    public IEnumerable<int> Databases => _databases.Where(pair => !pair.Value.IsEmpty).Select(pair => pair.Key).Order();
}
