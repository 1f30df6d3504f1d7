using OrleansRedis.Abstractions.Cluster;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>NODE LIST and NODE REMOVE: the cluster's node set (ours; Redis has no such command).</summary>
public static class NodeBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("node|list", CommandId.Node, List),
        new("node|remove", CommandId.Node, Remove),
    ];

    private static async ValueTask<Reply> List(CommandContext ctx)
    {
        var view = await ClusterView.Gather(ctx.Server.Nodes);
        var nodes = view.Nodes.Select(node => (Reply)new MapReply(
        [
            Reply.Bulk("name"), Reply.Bulk(node.Name),
            Reply.Bulk("address"), node.Address is null ? Reply.NullBulk : Reply.Bulk(node.Address),
            Reply.Bulk("state"), Reply.Bulk(node.Address is null ? "down" : "up"),
            Reply.Bulk("slots"), Reply.Integer(node.Slots),
            Reply.Bulk("keys"), Reply.Integer(node.Keys),
        ]));
        return new MapReply(
        [
            Reply.Bulk("epoch"), Reply.Integer(view.Epoch),
            Reply.Bulk("pending-epoch"), view.PendingEpoch is { } pending ? Reply.Integer(pending) : Reply.NullBulk,
            Reply.Bulk("nodes"), new ArrayReply([.. nodes]),
        ]);
    }

    private static async ValueTask<Reply> Remove(CommandContext ctx)
    {
        try
        {
            await ctx.Grains.GetGrain<ITopologyGrain>(0).Remove(ctx.Args.GetString(2));
            return Reply.Ok;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return Errors.NodeSetChange(exception.Message);
        }
    }
}
