using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Connection;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Resp.Commands;

/// <summary>
/// Finds a request's command in the table and runs it, after the checks Redis makes in the
/// same order: unknown command or subcommand, arity, authentication, subscribe mode.
/// </summary>
public static class CommandDispatcher
{
    // The only commands a RESP2 client in subscribe mode may send.
    private static readonly HashSet<string> AllowedWhileSubscribed =
        ["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset"];

    /// <summary>Runs the command in <paramref name="args"/> for <paramref name="client"/>.</summary>
    public static async ValueTask<Reply> Dispatch(ClientConnection client, RequestArgs args)
    {
        var table = client.Server.Commands;
        var spec = args[0].IsSingleSegment ? table.Find(args[0].FirstSpan) : table.Find(args.ToArray(0));
        if (spec is null)
        {
            return Errors.UnknownCommand(args.GetString(0), Enumerable.Range(1, args.Count - 1).Select(args.GetString));
        }

        if (spec.Subcommands.Count > 0 && args.Count > 1)
        {
            var sub = spec.Subcommands.GetValueOrDefault(args.GetString(1).ToLowerInvariant());
            if (sub is null)
            {
                return Errors.UnknownSubcommand(args.GetString(1), args.GetString(0));
            }

            spec = sub;
        }

        var rejection = !spec.AcceptsArgumentCount(args.Count) ? Errors.WrongArgumentCount(spec.Name)
            : !client.Authenticated && !spec.AllowedBeforeAuth ? Errors.NoAuth
            : client.Protocol == 2 && client.InSubscribeMode && !AllowedWhileSubscribed.Contains(spec.Name) ? Errors.OnlyPubSubAllowed(spec.Name)
            : null;
        var stats = client.Server.Stats;
        if (rejection is not null)
        {
            stats.CommandCalled(spec.Name, rejected: true, failed: false);
            return rejection;
        }

        client.LastCommand = spec.Name;
        stats.CommandProcessed();
        var reply = await Run(client, args, spec);
        stats.CommandCalled(spec.Name, rejected: false, failed: reply is ErrorReply);
        return reply;
    }

    private static async ValueTask<Reply> Run(ClientConnection client, RequestArgs args, CommandSpec spec)
    {
        try
        {
            return await spec.Handler!(new CommandContext(client, args, spec));
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            return Errors.TryAgain;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            client.Server.Logger.LogCommandFailure(exception, spec.Name);
            return Errors.Internal(exception);
        }
    }

    private static bool IsUnavailable(Exception exception) =>
        exception is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
        || exception.InnerException is TimeoutException or SiloUnavailableException;
}
