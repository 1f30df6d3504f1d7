namespace OrleansRedis.Abstractions.Keys;

/// <summary>The kinds of value a key can hold, named as <c>TYPE</c> answers.</summary>
public enum ValueType : byte
{
    /// <summary>No value: the key does not exist.</summary>
    None,

    /// <summary>A string.</summary>
    String,

    /// <summary>A hash.</summary>
    Hash,

    /// <summary>A list.</summary>
    List,

    /// <summary>A set.</summary>
    Set,

    /// <summary>A sorted set.</summary>
    SortedSet,
}

/// <summary>How a string value was made, as Redis's OBJECT ENCODING tells it.</summary>
public enum StringOrigin : byte
{
    /// <summary>Set whole (SET, GETSET, INCR, …): int, embstr or raw by its value.</summary>
    Whole,

    /// <summary>Changed in place (APPEND to it, SETRANGE): raw whatever its length.</summary>
    InPlace,

    /// <summary>Made from a float (INCRBYFLOAT): embstr or raw by its length, never int.</summary>
    Float,
}

/// <summary>A key's whole value and expiry, moved as one piece by RENAME and MOVE.</summary>
[GenerateSerializer, Immutable, Alias("key-snapshot")]
public sealed record KeySnapshot(
    [property: Id(0)] ValueType Type,
    [property: Id(1)] byte[]? String,
    [property: Id(2)] byte[][]? HashFieldsAndValues,
    [property: Id(3)] long ExpireAtMs)
{
    /// <summary>A list's elements, head first.</summary>
    [Id(4)]
    public byte[][]? ListElements { get; init; }

    /// <summary>A set's members.</summary>
    [Id(5)]
    public byte[][]? SetMembers { get; init; }

    /// <summary>A sorted set's members, in order.</summary>
    [Id(6)]
    public byte[][]? SortedSetMembers { get; init; }

    /// <summary>A sorted set's scores, one per member of <see cref="SortedSetMembers"/>.</summary>
    [Id(7)]
    public double[]? SortedSetScores { get; init; }

    /// <summary>How a string was made (which OBJECT ENCODING tells, and RENAME keeps).</summary>
    [Id(8)]
    public StringOrigin StringOrigin { get; init; }
}

/// <summary>Extensions for <see cref="ValueType"/>.</summary>
public static class ValueTypeNames
{
    /// <summary>The name <c>TYPE</c> replies with and <c>SCAN … TYPE</c> matches.</summary>
    public static string Name(this ValueType type) => type switch
    {
        ValueType.String => "string",
        ValueType.Hash => "hash",
        ValueType.List => "list",
        ValueType.Set => "set",
        ValueType.SortedSet => "zset",
        _ => "none",
    };
}
