using OrleansRedis.Abstractions.Keys;
using ValueType = OrleansRedis.Abstractions.Keys.ValueType;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// The value and expiry of one key, as a key grain holds it. Command families read and change
/// it; the grain notices changes of type and expiry and tells the node's key index.
/// </summary>
public sealed class KeyState
{
    /// <summary>What the key holds; <see cref="ValueType.None"/> when it does not exist.</summary>
    public ValueType Type { get; private set; }

    /// <summary>The string value, when <see cref="Type"/> is String. Never mutated in place: replies share it.</summary>
    public byte[]? String { get; private set; }

    /// <summary>The hash's fields, when <see cref="Type"/> is Hash. Field and value arrays are never mutated in place.</summary>
    public Dictionary<byte[], byte[]>? Hash { get; private set; }

    /// <summary>Absolute expiry in Unix milliseconds; 0 when the key does not expire.</summary>
    public long ExpireAtMs { get; set; }

    /// <summary>Whether the key exists.</summary>
    public bool Exists => Type != ValueType.None;

    /// <summary>Makes the key a string holding <paramref name="value"/>; the expiry is left as it is.</summary>
    public void SetString(byte[] value)
    {
        Type = ValueType.String;
        String = value;
        Hash = null;
    }

    /// <summary>Returns the hash, making the key an empty hash first if it does not exist.</summary>
    public Dictionary<byte[], byte[]> GetOrCreateHash()
    {
        if (Hash is null)
        {
            Type = ValueType.Hash;
            String = null;
            Hash = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        }

        return Hash;
    }

    /// <summary>Deletes the key if it is a hash that has become empty, as Redis does.</summary>
    public void DeleteIfEmptyHash()
    {
        if (Type == ValueType.Hash && Hash!.Count == 0)
        {
            Clear();
        }
    }

    /// <summary>Deletes the key.</summary>
    public void Clear()
    {
        Type = ValueType.None;
        String = null;
        Hash = null;
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
        return new KeySnapshot(Type, String, hash, ExpireAtMs);
    }

    /// <summary>Replaces the value and expiry with <paramref name="snapshot"/>.</summary>
    public void Load(KeySnapshot snapshot)
    {
        Clear();
        if (snapshot.Type == ValueType.String)
        {
            SetString(snapshot.String!);
        }
        else if (snapshot.Type == ValueType.Hash)
        {
            var hash = GetOrCreateHash();
            var items = snapshot.HashFieldsAndValues!;
            for (int i = 0; i + 1 < items.Length; i += 2)
            {
                hash[items[i]] = items[i + 1];
            }
        }

        ExpireAtMs = snapshot.ExpireAtMs;
    }
}
