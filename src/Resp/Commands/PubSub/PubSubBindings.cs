using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Connection;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Resp.Commands.PubSub;

/// <summary>
/// Pub/sub. Subscriptions live in the RESP server the client is connected to; PUBLISH goes
/// through the cluster's pub/sub grain to every server, so subscribers on any gateway or
/// silo receive it.
/// </summary>
public static class PubSubBindings
{
    /// <summary>Nothing to write: the handler wrote its replies itself.</summary>
    private static readonly Reply AlreadyWritten = new SequenceReply([]);

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("subscribe", CommandId.Subscribe, ctx => Subscribe(ctx, pattern: false)),
        new("psubscribe", CommandId.PSubscribe, ctx => Subscribe(ctx, pattern: true)),
        new("unsubscribe", CommandId.Unsubscribe, ctx => Unsubscribe(ctx, pattern: false)),
        new("punsubscribe", CommandId.PUnsubscribe, ctx => Unsubscribe(ctx, pattern: true)),
        new("publish", CommandId.Publish, Publish),
        new("pubsub|channels", CommandId.PubSub, Channels),
        new("pubsub|numsub", CommandId.PubSub, NumSub),
        new("pubsub|numpat", CommandId.PubSub, NumPat),
    ];

    private static async ValueTask<Reply> Subscribe(CommandContext ctx, bool pattern)
    {
        var client = ctx.Client;
        var names = ctx.Args.ToArrays(1);
        string kind = pattern ? "psubscribe" : "subscribe";

        // Subscribing and confirming under the output lock: no message can overtake the confirmation.
        await client.WriteAtomicallyAsync(() => new SequenceReply(names.Select(name =>
        {
            client.Server.Subscriptions.Add(client, name, pattern);
            return (Reply)Confirmation(kind, name, client);
        }).ToArray()));
        return AlreadyWritten;
    }

    private static ValueTask<Reply> Unsubscribe(CommandContext ctx, bool pattern)
    {
        var client = ctx.Client;
        string kind = pattern ? "punsubscribe" : "unsubscribe";
        var names = ctx.Args.Count > 1 ? ctx.Args.ToArrays(1) : (pattern ? client.Patterns : client.Channels).ToArray();
        if (names.Length == 0)
        {
            return ValueTask.FromResult<Reply>(new PushReply([Reply.Bulk(kind), Reply.NullBulk, Reply.Integer(SubscriptionCount(client))]));
        }

        var replies = names.Select(name =>
        {
            client.Server.Subscriptions.Remove(client, name, pattern);
            return (Reply)Confirmation(kind, name, client);
        }).ToArray();
        return ValueTask.FromResult<Reply>(new SequenceReply(replies));
    }

    private static PushReply Confirmation(string kind, byte[] name, ClientConnection client) =>
        new([Reply.Bulk(kind), new BulkReply(name), Reply.Integer(SubscriptionCount(client))]);

    private static int SubscriptionCount(ClientConnection client) => client.Channels.Count + client.Patterns.Count;

    private static async ValueTask<Reply> Publish(CommandContext ctx) =>
        Reply.Integer(await ctx.Grains.GetGrain<IPubSubGrain>(0).Publish(ctx.Args.ToArray(1), ctx.Args.ToArray(2)));

    private static async ValueTask<Reply> Channels(CommandContext ctx)
    {
        if (ctx.Args.Count > 3)
        {
            return Errors.WrongArgumentCount(ctx.Name);
        }

        byte[]? pattern = ctx.Args.Count == 3 ? ctx.Args.ToArray(2) : null;
        return Reply.BulkArray(await ctx.Grains.GetGrain<IPubSubGrain>(0).Channels(pattern));
    }

    private static async ValueTask<Reply> NumSub(CommandContext ctx)
    {
        var channels = ctx.Args.ToArrays(2);
        var counts = await ctx.Grains.GetGrain<IPubSubGrain>(0).NumSub(channels);
        return new ArrayReply(channels.SelectMany((c, i) => new Reply[] { new BulkReply(c), Reply.Integer(counts[i]) }).ToArray());
    }

    private static async ValueTask<Reply> NumPat(CommandContext ctx) =>
        Reply.Integer(await ctx.Grains.GetGrain<IPubSubGrain>(0).NumPat());
}
