using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using static OrleansRedis.Resp.Commands.Server.ConnectionBindings;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>Server commands: INFO, CONFIG, DBSIZE, FLUSHDB, FLUSHALL, TIME, and CLUSTER (which, as on a non-cluster Redis, is disabled).</summary>
public static class ServerBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("info", CommandId.Info, Info),
        new("config|get", CommandId.Config, ConfigGet),
        new("config|set", CommandId.Config, ConfigSet),
        new("config|resetstat", CommandId.Config, ResetStats),
        new("config|rewrite", CommandId.Config, _ => Done(Errors.NoConfigFile)),
        new("dbsize", CommandId.DbSize, DbSize),
        new("flushdb", CommandId.FlushDb, ctx => Flush(ctx, ctx.Client.Db)),
        new("flushall", CommandId.FlushAll, ctx => Flush(ctx, -1)),
        new("time", CommandId.Time, Time),
        new("bgrewriteaof", CommandId.BgRewriteAof, BgRewriteAof),
        new("memory|purge", CommandId.MemoryPurge, MemoryPurge),
        new("cluster|info", CommandId.Cluster, _ => Done(Errors.ClusterDisabled)),
        new("cluster|nodes", CommandId.Cluster, _ => Done(Errors.ClusterDisabled)),
        new("cluster|slots", CommandId.Cluster, _ => Done(Errors.ClusterDisabled)),
        new("cluster|shards", CommandId.Cluster, _ => Done(Errors.ClusterDisabled)),
        new("cluster|myid", CommandId.Cluster, _ => Done(Errors.ClusterDisabled)),
    ];

    private static async ValueTask<Reply> Info(CommandContext ctx)
    {
        var sections = Enumerable.Range(1, ctx.Args.Count - 1).Select(ctx.Args.GetString);
        return new VerbatimReply(await InfoReport.Build(ctx.Server, sections));
    }

    private static ValueTask<Reply> ConfigGet(CommandContext ctx)
    {
        var matches = ctx.Server.Config.Match(ctx.Args.ToArrays(2));
        return Done(new MapReply(matches.SelectMany(pair => new Reply[] { Reply.Bulk(pair.Key), Reply.Bulk(pair.Value) }).ToArray()));
    }

    private static async ValueTask<Reply> ConfigSet(CommandContext ctx)
    {
        if (ctx.Args.Count % 2 != 0)
        {
            return Errors.WrongArgumentCount(ctx.Name);
        }

        var pairs = new List<(string Name, string Value)>();
        for (int i = 2; i + 1 < ctx.Args.Count; i += 2)
        {
            pairs.Add((ctx.Args.GetString(i).ToLowerInvariant(), ctx.Args.GetString(i + 1)));
        }

        if (ctx.Server.Config.TrySet(pairs) is { } error)
        {
            return error;
        }

        // The memory limit is enforced by the nodes, each its share: they all get it.
        if (pairs.Any(pair => pair.Name.StartsWith("maxmemory", StringComparison.Ordinal)))
        {
            var limit = ctx.Server.Config.MemoryLimit;
            await ctx.Server.Nodes.AskAll(async node =>
            {
                await node.SetMemoryLimit(limit);
                return true;
            });
        }

        // So do the AOF's settings (each node writes its own AOF)...
        foreach (var (name, value) in pairs.Where(pair => pair.Name is "appendfsync" or "auto-aof-rewrite-percentage" or "auto-aof-rewrite-min-size"))
        {
            string stored = ctx.Server.Config.Get(name);
            await ctx.Server.Nodes.AskAll(async node =>
            {
                await node.SetAofSetting(name, stored);
                return true;
            });
        }

        // ...and the encoding thresholds, which the key grains convert their collections by...
        if (pairs.Any(pair => Config.ServerConfig.IsEncodingThreshold(pair.Name)))
        {
            var thresholds = ctx.Server.Config.EncodingThresholds;
            await ctx.Server.Nodes.AskAll(async node =>
            {
                await node.SetEncodingThresholds(thresholds);
                return true;
            });
        }

        // ...and keyspace notifications, raised in the key grains.
        if (pairs.Any(pair => pair.Name == "notify-keyspace-events"))
        {
            var flags = ctx.Server.Config.KeyspaceEvents;
            await ctx.Server.Nodes.AskAll(async node =>
            {
                await node.SetNotifications(flags);
                return true;
            });
        }

        return Reply.Ok;
    }

    private static async ValueTask<Reply> ResetStats(CommandContext ctx)
    {
        ctx.Server.Stats.Reset();
        foreach (var spec in ctx.Server.Commands.All.SelectMany(c => c.Subcommands.Values.Prepend(c)))
        {
            spec.Stats.Reset();
        }

        // The keyspace counters are kept by the nodes.
        await ctx.Server.Nodes.AskAll(async node =>
        {
            await node.ResetStats();
            return true;
        });
        return Reply.Ok;
    }

    // Every node collects its garbage, and so does this process (a gateway's own buffers).
    private static async ValueTask<Reply> MemoryPurge(CommandContext ctx)
    {
        await ctx.Server.Nodes.AskAll(async node =>
        {
            await node.Purge();
            return true;
        });
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Reply.Ok;
    }

    private static async ValueTask<Reply> DbSize(CommandContext ctx)
    {
        int db = ctx.Client.Db;
        var counts = await ctx.Server.Nodes.AskEveryNode(node => node.Count(db));
        return Reply.Integer(counts.Sum());
    }

    private static async ValueTask<Reply> Flush(CommandContext ctx, int db)
    {
        if (ctx.Args.Count > 2 || (ctx.Args.Count == 2 && !ctx.Args.Is(1, "ASYNC"u8) && !ctx.Args.Is(1, "SYNC"u8)))
        {
            return Errors.Syntax;
        }

        // Every node of the set must be up, looked at now: a flush that reached only the live
        // nodes would let the down node's keys come back with it.
        await ctx.Server.Nodes.AskEveryNode(
            async node =>
            {
                await node.Flush(db);
                return true;
            },
            fresh: true);
        return Reply.Ok;
    }

    // Every node rewrites its own AOF.
    private static async ValueTask<Reply> BgRewriteAof(CommandContext ctx)
    {
        var started = await ctx.Server.Nodes.AskAll(node => node.RewriteAof());
        return started.Any(s => s) ? new StatusReply("Background append only file rewriting started") : Errors.RewriteInProgress;
    }

    private static ValueTask<Reply> Time(CommandContext ctx)
    {
        long micros = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        return Done(new ArrayReply([
            new BulkReply(Encoding.ASCII.GetBytes((micros / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            new BulkReply(Encoding.ASCII.GetBytes((micros % 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ]));
    }
}
