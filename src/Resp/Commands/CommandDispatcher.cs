using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Connection;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Resp.Dispatch;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Resp.Commands;

/// <summary>
/// Finds a request's command in the table and makes Redis's checks in Redis's order: unknown
/// command or subcommand, arity, authentication, subscribe mode. Runs the commands that run
/// in the RESP server; the connection's <see cref="PipelineBatch"/> runs those that run in a key grain.
/// </summary>
public static class CommandDispatcher
{
    // The only commands a RESP2 client in subscribe mode may send.
    private static readonly HashSet<string> AllowedWhileSubscribed =
        ["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset"];

    /// <summary>
    /// Looks the command up and checks it. Returns the error to answer instead of running it,
    /// or null with <paramref name="spec"/> set to the command to run.
    /// </summary>
    public static ErrorReply? Prepare(ClientConnection client, RequestArgs args, out CommandSpec? spec)
    {
        var table = client.Server.Commands;
        spec = args[0].IsSingleSegment ? table.Find(args[0].FirstSpan) : table.Find(args.ToArray(0));
        if (spec is null)
        {
            return Errors.UnknownCommand(args.GetString(0), Enumerable.Range(1, args.Count - 1).Select(args.GetString));
        }

        if (spec.Subcommands.Count > 0 && args.Count > 1)
        {
            var sub = spec.Subcommands.GetValueOrDefault(args.GetString(1).ToLowerInvariant());
            if (sub is null)
            {
                var error = Errors.UnknownSubcommand(args.GetString(1), args.GetString(0));
                spec = null;
                return error;
            }

            spec = sub;
        }

        var rejection = !spec.AcceptsArgumentCount(args.Count) ? Errors.WrongArgumentCount(spec.Name)
            : !client.Authenticated && !spec.AllowedBeforeAuth ? Errors.NoAuth
            : client.Protocol == 2 && client.InSubscribeMode && !AllowedWhileSubscribed.Contains(spec.Name) ? Errors.OnlyPubSubAllowed(spec.Name)
            : null;
        if (rejection is not null)
        {
            spec.Stats.Count(rejected: true, failed: false);
            spec = null;
            return rejection;
        }

        client.LastCommand = spec.Name;
        client.Server.Stats.CommandProcessed();
        return null;
    }

    /// <summary>Runs a prepared command whose handler runs in the RESP server.</summary>
    public static async ValueTask<Reply> Run(ClientConnection client, RequestArgs args, CommandSpec spec)
    {
        Reply reply;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            reply = await spec.Handler!(new CommandContext(client, args, spec));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            reply = Failure(client, spec, exception);
        }

        // A blocking command's time spent waiting is not its cost (Redis counts neither).
        long elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - started - client.BlockedTicks;
        client.BlockedTicks = 0;
        spec.Stats.Count(rejected: false, failed: reply is ErrorReply, Math.Max(0, elapsed));
        return reply;
    }

    /// <summary>The reply to a command that threw: TRYAGAIN when its grain's silo did not answer, else an internal error.</summary>
    public static ErrorReply Failure(ClientConnection client, CommandSpec spec, Exception exception)
    {
        if (SlotUnavailableException.From(exception) is { } unavailable)
        {
            return unavailable.Moving ? Errors.SlotMoving : Errors.SlotNotServed;
        }

        if (exception is NodeDownException || exception.InnerException is NodeDownException)
        {
            return Errors.ClusterDown;
        }

        if (exception is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
            || exception.InnerException is TimeoutException or SiloUnavailableException)
        {
            return Errors.TryAgain;
        }

        client.Server.Logger.LogCommandFailure(exception, spec.Name);
        return Errors.Internal(exception);
    }
}
