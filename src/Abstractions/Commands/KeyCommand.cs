namespace OrleansRedis.Abstractions.Commands;

/// <summary>
/// A command for one key grain: which command, and its arguments after the command name
/// (<c>Args[0]</c> is the key). Immutable, so an in-silo call passes it without a copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("key-command")]
public sealed record KeyCommand([property: Id(0)] CommandId Id, [property: Id(1)] byte[][] Args);
