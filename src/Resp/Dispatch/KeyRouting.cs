using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;
using OrleansRedis.Resp.Connection;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>Sends commands to key grains: one call for a single-key command, one call per key for a command that names several.</summary>
public static class KeyRouting
{
    /// <summary>Binds a single-key command: the whole command is one call on the key's grain (see <see cref="Connection.PipelineBatch"/>).</summary>
    public static CommandBinding Bind(string name, CommandId id) => new(name, id, Handler: null);

    /// <summary>
    /// Runs <paramref name="id"/> on each of <paramref name="keys"/> in parallel, with
    /// <paramref name="extraArgs"/> after each key; replies in key order. When a key's node is
    /// known to be down, nothing runs and the command fails with CLUSTERDOWN.
    /// </summary>
    public static Task<Reply[]> OnEachKey(CommandContext ctx, CommandId id, IEnumerable<byte[]> keys, params byte[][] extraArgs)
    {
        var list = keys as IReadOnlyCollection<byte[]> ?? keys.ToList();
        RefuseIfAnyUnserved(ctx, list);
        return InKeyOrder(ctx, list.Select(key => (Func<Task<Reply>>)(() => Execute(ctx, new KeyCommand(id, [key, .. extraArgs])))));
    }

    /// <summary>
    /// Runs per-key calls at once, or one after another while keyspace notifications are on,
    /// so that subscribers see each key's events in the order the command named the keys, as in Redis.
    /// </summary>
    public static async Task<Reply[]> InKeyOrder(CommandContext ctx, IEnumerable<Func<Task<Reply>>> calls)
    {
        if (ctx.Server.Config.KeyspaceEvents == Abstractions.Notifications.KeyspaceEventFlags.None)
        {
            return await Task.WhenAll(calls.Select(call => call()));
        }

        var replies = new List<Reply>();
        foreach (var call in calls)
        {
            replies.Add(await call());
        }

        return [.. replies];
    }

    /// <summary>
    /// Throws <see cref="SlotUnavailableException"/> (CLUSTERDOWN) before a multi-key command
    /// runs when any of its keys' nodes is known to be down, so that it applies nothing rather
    /// than its part on the live nodes.
    /// </summary>
    public static void RefuseIfAnyUnserved(CommandContext ctx, IEnumerable<byte[]> keys)
    {
        foreach (var key in keys)
        {
            if (!ctx.Server.Nodes.Serves(key))
            {
                throw new SlotUnavailableException(HashSlot.Of(key), "");
            }
        }
    }

    /// <summary>Runs one command on its key in the client's database, retrying while its slot moves (see <see cref="MovingSlots"/>).</summary>
    public static async Task<Reply> Execute(CommandContext ctx, KeyCommand command)
    {
        var grain = ctx.Grains.GetKeyGrain(ctx.Client.Db, command.Args[0]);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await Execute(ctx.Server, ctx.Client.Db, grain, command);
            }
            catch (Exception exception) when (MovingSlots.ShouldRetry(exception, attempt))
            {
                await Task.Delay(MovingSlots.Pause);
            }
        }
    }

    /// <summary>
    /// Runs one command on its key: by the silo when the key's grain is not active and need not be (see
    /// <see cref="IIdleKeyCommands"/>), else by the key's grain.
    /// </summary>
    public static async ValueTask<Reply> Execute(ServerContext server, int db, IKeyGrain grain, KeyCommand command) =>
        server.IdleKeys is { } idle && await idle.TryRun(db, command) is { } known ? known : await grain.Execute(command);

    /// <summary>Runs one command on a key grain, retrying while its slot moves (see <see cref="MovingSlots"/>).</summary>
    public static async Task<Reply> Execute(IKeyGrain grain, KeyCommand command)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await grain.Execute(command);
            }
            catch (Exception exception) when (MovingSlots.ShouldRetry(exception, attempt))
            {
                await Task.Delay(MovingSlots.Pause);
            }
        }
    }

    /// <summary>Sums the integer replies of a per-key fan-out (DEL, EXISTS, TOUCH), or returns its first error.</summary>
    public static Reply SumIntegers(Reply[] replies)
    {
        long total = 0;
        foreach (var reply in replies)
        {
            switch (reply)
            {
                case IntegerReply integer:
                    total += integer.Value;
                    break;
                default:
                    return reply;
            }
        }

        return Reply.Integer(total);
    }
}
