using System.Text;

namespace OrleansRedis.Abstractions.Replies;

/// <summary>
/// A command's reply, independent of the wire protocol. The RESP writer turns it into
/// RESP2 or RESP3 bytes for the connection that asked; grains return it from a call.
/// Replies are immutable, so Orleans passes them between grains without copying.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record Reply
{
    private static readonly IntegerReply[] SmallIntegers = Enumerable.Range(-1, 258).Select(i => new IntegerReply(i)).ToArray();

    /// <summary><c>+OK</c>.</summary>
    public static readonly StatusReply Ok = new("OK");

    /// <summary><c>+PONG</c>.</summary>
    public static readonly StatusReply Pong = new("PONG");

    /// <summary>The null bulk string (<c>$-1</c> in RESP2, <c>_</c> in RESP3).</summary>
    public static readonly NullReply NullBulk = new(NullKind.Bulk);

    /// <summary>The null array (<c>*-1</c> in RESP2, <c>_</c> in RESP3).</summary>
    public static readonly NullReply NullArray = new(NullKind.Array);

    /// <summary>An empty array.</summary>
    public static readonly ArrayReply EmptyArray = new([]);

    /// <summary>An integer reply, cached for small values.</summary>
    public static IntegerReply Integer(long value) =>
        value >= -1 && value <= 256 ? SmallIntegers[value + 1] : new IntegerReply(value);

    /// <summary>A bulk string, or the null bulk string when <paramref name="value"/> is null.</summary>
    public static Reply Bulk(byte[]? value) => value is null ? NullBulk : new BulkReply(value);

    /// <summary>A bulk string holding the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static BulkReply Bulk(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>An error reply; <paramref name="message"/> starts with its code (<c>ERR</c>, <c>WRONGTYPE</c>, …).</summary>
    public static ErrorReply Error(string message) => new(message);

    /// <summary>An array of bulk strings.</summary>
    public static ArrayReply BulkArray(IEnumerable<byte[]> values) => new(values.Select(v => (Reply)new BulkReply(v)).ToArray());
}

/// <summary>A simple string (<c>+…</c>).</summary>
[GenerateSerializer, Immutable, Alias("reply.status")]
public sealed record StatusReply([property: Id(0)] string Value) : Reply;

/// <summary>An error (<c>-CODE message</c>).</summary>
[GenerateSerializer, Immutable, Alias("reply.error")]
public sealed record ErrorReply([property: Id(0)] string Message) : Reply;

/// <summary>An integer (<c>:n</c>).</summary>
[GenerateSerializer, Immutable, Alias("reply.integer")]
public sealed record IntegerReply([property: Id(0)] long Value) : Reply;

/// <summary>A binary-safe bulk string (<c>$n</c>).</summary>
[GenerateSerializer, Immutable, Alias("reply.bulk")]
public sealed record BulkReply([property: Id(0)] byte[] Value) : Reply;

/// <summary>Text that RESP3 sends as a verbatim string (<c>=n\r\ntxt:…</c>) and RESP2 as a bulk string.</summary>
[GenerateSerializer, Immutable, Alias("reply.verbatim")]
public sealed record VerbatimReply([property: Id(0)] string Text) : Reply;

/// <summary>A double: RESP3 <c>,d</c>; RESP2 a bulk string.</summary>
[GenerateSerializer, Immutable, Alias("reply.double")]
public sealed record DoubleReply([property: Id(0)] double Value) : Reply;

/// <summary>Which RESP2 null a <see cref="NullReply"/> stands for; RESP3 has one null for both.</summary>
public enum NullKind
{
    /// <summary><c>$-1</c></summary>
    Bulk,

    /// <summary><c>*-1</c></summary>
    Array,
}

/// <summary>A null (<c>_</c> in RESP3).</summary>
[GenerateSerializer, Immutable, Alias("reply.null")]
public sealed record NullReply([property: Id(0)] NullKind Kind) : Reply;

/// <summary>An array (<c>*n</c>).</summary>
[GenerateSerializer, Immutable, Alias("reply.array")]
public sealed record ArrayReply([property: Id(0)] Reply[] Items) : Reply;

/// <summary>
/// An array of bulk strings packed into one buffer: element <c>i</c> is <see cref="Data"/> from
/// <c>Ends[i - 1]</c> (0 for the first) to <c>Ends[i]</c>. What a range of a list replies: two
/// arrays, however many elements, where an <see cref="ArrayReply"/> of bulk strings takes two
/// objects an element. Written as that array is.
/// </summary>
[GenerateSerializer, Immutable, Alias("reply.packed-bulks")]
public sealed record PackedBulkArrayReply([property: Id(0)] byte[] Data, [property: Id(1)] int[] Ends) : Reply
{
    /// <summary>Element <paramref name="index"/>'s bytes.</summary>
    public ReadOnlySpan<byte> this[int index] => Data.AsSpan()[(index == 0 ? 0 : Ends[index - 1])..Ends[index]];
}

/// <summary>A map: RESP3 <c>%n</c>; RESP2 an array of keys and values.</summary>
[GenerateSerializer, Immutable, Alias("reply.map")]
public sealed record MapReply([property: Id(0)] Reply[] KeysAndValues) : Reply;

/// <summary>A set: RESP3 <c>~n</c>; RESP2 an array.</summary>
[GenerateSerializer, Immutable, Alias("reply.set")]
public sealed record SetReply([property: Id(0)] Reply[] Items) : Reply;

/// <summary>An out-of-band push (pub/sub messages): RESP3 <c>&gt;n</c>; RESP2 an array.</summary>
[GenerateSerializer, Immutable, Alias("reply.push")]
public sealed record PushReply([property: Id(0)] Reply[] Items) : Reply;

/// <summary>
/// Field-value pairs given flat (f1, v1, f2, v2, …): RESP3 sends an array of two-element
/// arrays, RESP2 the flat array (HRANDFIELD … WITHVALUES).
/// </summary>
[GenerateSerializer, Immutable, Alias("reply.pairs")]
public sealed record PairsReply([property: Id(0)] Reply[] FlatItems) : Reply;

/// <summary>
/// No reply at all: what a client gets from a successful SHUTDOWN, and from any command while
/// CLIENT REPLY is OFF or SKIP. Never sent by grains.
/// </summary>
[GenerateSerializer, Immutable, Alias("reply.none")]
public sealed record NoReply : Reply
{
    /// <summary>The one instance.</summary>
    public static readonly NoReply Instance = new();
}
