using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Resp.Commands;

/// <summary>Runs one command for one client and returns its reply.</summary>
public delegate ValueTask<Reply> CommandHandler(CommandContext context);

/// <summary>Ties a command name (<c>get</c>, or <c>client|list</c> for a subcommand) to its id and what runs it.</summary>
/// <param name="Name">The lower-case name; a subcommand is <c>container|sub</c>.</param>
/// <param name="Id">The command's id (a subcommand shares its container's).</param>
/// <param name="Handler">What runs it in the RESP server; null for a command that runs whole in its key's grain.</param>
public sealed record CommandBinding(string Name, CommandId Id, CommandHandler? Handler)
{
    /// <summary>Whether the whole command is one call on the grain of its first argument (the key).</summary>
    public bool RunsInKeyGrain => Handler is null;
}

/// <summary>
/// One entry of the command table: what the dispatcher checks (arity, flags) and what
/// COMMAND INFO and COMMAND DOCS report, taken from Redis's own metadata for the command.
/// </summary>
public sealed class CommandSpec
{
    /// <summary>The lower-case full name (<c>client|list</c> for a subcommand).</summary>
    public required string Name { get; init; }

    /// <summary>The command's id.</summary>
    public required CommandId Id { get; init; }

    /// <summary>Redis arity: exact argument count when positive, minimum when negative (the name counts).</summary>
    public required int Arity { get; init; }

    /// <summary>Position of the first key argument (COMMAND INFO's first-key), 0 when none.</summary>
    public int FirstKey { get; init; }

    /// <summary>Redis's command flags (<c>write</c>, <c>readonly</c>, <c>no_auth</c>, …).</summary>
    public required IReadOnlySet<string> Flags { get; init; }

    /// <summary>What runs it; null for a container command and for a command that runs in its key's grain.</summary>
    public CommandHandler? Handler { get; init; }

    /// <summary>Whether the whole command is one call on the grain of its key (<c>Args[1]</c>).</summary>
    public bool RunsInKeyGrain { get; init; }

    /// <summary>Calls, rejections and failures (INFO commandstats).</summary>
    public Connection.CommandStats Stats { get; } = new();

    /// <summary>Subcommands by lower-case name (without the container's prefix).</summary>
    public IReadOnlyDictionary<string, CommandSpec> Subcommands { get; init; } = new Dictionary<string, CommandSpec>();

    /// <summary>This command's COMMAND INFO entry.</summary>
    public required Reply Info { get; init; }

    /// <summary>This command's COMMAND DOCS map.</summary>
    public required Reply Docs { get; init; }

    /// <summary>Whether a client may run it before authenticating.</summary>
    public bool AllowedBeforeAuth => Flags.Contains("no_auth");

    /// <summary>Whether the argument count fits the arity.</summary>
    public bool AcceptsArgumentCount(int count) => Arity > 0 ? count == Arity : count >= -Arity;
}
