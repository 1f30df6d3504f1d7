using System.Collections;
using OrleansRedis.Abstractions.Keys;

namespace OrleansRedis.Grains.Keys;

/// <summary>
/// A set's members: a list of them and each one's place in it, so that adding, removing (the
/// last member takes the removed one's place), membership and drawing a random member are all
/// O(1), as SPOP and SRANDMEMBER are in Redis.
/// </summary>
public sealed class SetValue : IReadOnlyCollection<byte[]>
{
    private readonly List<byte[]> _members = [];
    private readonly Dictionary<byte[], int> _places = new(ByteArrayComparer.Instance);

    /// <inheritdoc/>
    public int Count => _members.Count;

    /// <summary>Whether <paramref name="member"/> is in the set.</summary>
    public bool Contains(byte[] member) => _places.ContainsKey(member);

    /// <summary>Adds a member; returns whether it is new.</summary>
    public bool Add(byte[] member)
    {
        if (!_places.TryAdd(member, _members.Count))
        {
            return false;
        }

        _members.Add(member);
        return true;
    }

    /// <summary>Removes a member; returns whether it was there.</summary>
    public bool Remove(byte[] member)
    {
        if (!_places.Remove(member, out int place))
        {
            return false;
        }

        var last = _members[^1];
        _members.RemoveAt(_members.Count - 1);
        if (place < _members.Count)
        {
            _members[place] = last;
            _places[last] = place;
        }

        return true;
    }

    /// <summary>A member drawn at random (the set must not be empty).</summary>
    public byte[] Random() => _members[System.Random.Shared.Next(_members.Count)];

    /// <inheritdoc/>
    public IEnumerator<byte[]> GetEnumerator() => _members.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
