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
        _ => "none",
    };
}
