using OrleansRedis.Resp.Connection;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Resp.Commands;

/// <summary>Everything a handler sees: the client that sent the command, its arguments, and the command's table entry.</summary>
public sealed class CommandContext(ClientConnection client, RequestArgs args, CommandSpec spec)
{
    /// <summary>The client that sent the command.</summary>
    public ClientConnection Client { get; } = client;

    /// <summary>The arguments; <c>Args[0]</c> is the command name.</summary>
    public RequestArgs Args { get; } = args;

    /// <summary>The command's table entry (the subcommand's, for a subcommand).</summary>
    public CommandSpec Spec { get; } = spec;

    /// <summary>The server the client is connected to.</summary>
    public ServerContext Server => Client.Server;

    /// <summary>Grains, as the embedded silo or the gateway's cluster client reaches them.</summary>
    public IGrainFactory Grains => Client.Server.Grains;

    /// <summary>The command's name as error messages quote it (lower case; <c>client|list</c> for a subcommand).</summary>
    public string Name => Spec.Name;
}
