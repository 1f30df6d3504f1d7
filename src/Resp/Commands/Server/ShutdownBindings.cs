using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using static OrleansRedis.Resp.Commands.Server.ConnectionBindings;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>
/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: stops the process this client is connected to
/// (the embedded silo, or a gateway) as SIGTERM does: every queued AOF record is written and
/// fsynced before it exits. As in Redis, a successful SHUTDOWN sends no reply; the connection closes.
/// </summary>
public static class ShutdownBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All => [new("shutdown", CommandId.Shutdown, Shutdown)];

    private static ValueTask<Reply> Shutdown(CommandContext ctx)
    {
        bool save = false, noSave = false, abort = false, force = false, other = false;
        for (int i = 1; i < ctx.Args.Count; i++)
        {
            if (ctx.Args.Is(i, "NOSAVE"u8))
            {
                noSave = true;
            }
            else if (ctx.Args.Is(i, "SAVE"u8))
            {
                save = true;
            }
            else if (ctx.Args.Is(i, "NOW"u8))
            {
                // No replicas to wait for: NOW changes nothing, as on a Redis without replicas.
                other = true;
            }
            else if (ctx.Args.Is(i, "FORCE"u8))
            {
                force = true;
            }
            else if (ctx.Args.Is(i, "ABORT"u8))
            {
                abort = true;
            }
            else
            {
                return Done(Errors.Syntax);
            }
        }

        if ((abort && (save || noSave || force || other)) || (save && noSave))
        {
            return Done(Errors.Syntax);
        }

        if (abort)
        {
            // Redis aborts only a shutdown that waits for replicas; ours never waits once accepted.
            return Done(Errors.NoShutdownInProgress);
        }

        if (save && !force)
        {
            // SAVE asks for an RDB snapshot, which this server does not write (the AOF keeps the
            // data): as Redis when its save fails, refuse unless FORCE says to go on regardless.
            ctx.Server.Logger.LogShutdownSaveRefused();
            return Done(Errors.ShutdownFailed);
        }

        if (ctx.Server.StopProcess is not { } stop)
        {
            return Done(Errors.ShutdownFailed);
        }

        ctx.Server.Logger.LogShutdownRequested(ctx.Client.Id);
        ctx.Server.ShuttingDown = true;
        ctx.Client.CloseAfterReply = true;
        stop();
        return Done(NoReply.Instance);
    }
}
