using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Resp.Commands;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>
/// Where the commands that compute a value from several keys (SINTERSTORE, BITOP, …) put it:
/// the destination's grain, which logs it, then the keyspace event, as Redis raises it.
/// </summary>
public static class ResultStore
{
    /// <summary>Replaces <paramref name="destination"/> with <paramref name="value"/> (no expiry) and raises <paramref name="eventName"/> of <paramref name="eventClass"/>.</summary>
    public static async Task Replace(CommandContext ctx, byte[] destination, KeySnapshot value, KeyspaceEventFlags eventClass, string eventName)
    {
        await ctx.Grains.GetKeyGrain(ctx.Client.Db, destination).Import(value, replace: true);
        await Notify(ctx, destination, eventClass, eventName);
    }

    /// <summary>Deletes <paramref name="destination"/>, as an empty result does in Redis (notified as del if it existed).</summary>
    public static async Task Delete(CommandContext ctx, byte[] destination)
    {
        if (await ctx.Grains.GetKeyGrain(ctx.Client.Db, destination).Delete())
        {
            await Notify(ctx, destination, KeyspaceEventFlags.Generic, "del");
        }
    }

    /// <summary>Publishes one keyspace event of <paramref name="key"/> (if notify-keyspace-events asks for it).</summary>
    public static Task Notify(CommandContext ctx, byte[] key, KeyspaceEventFlags eventClass, string name) =>
        Notify(ctx, [(ctx.Client.Db, key, eventClass, name)]);

    /// <summary>
    /// Publishes the keyspace events of a command that spans keys (RENAME, MOVE, COPY, the STOREs),
    /// raised where it was received, since no one key grain knows what the command was.
    /// </summary>
    public static Task Notify(CommandContext ctx, (int Db, byte[] Key, KeyspaceEventFlags Class, string Event)[] events)
    {
        var messages = new KeyspaceChannels(ctx.Server.Config.KeyspaceEvents);
        foreach (var (db, key, eventClass, name) in events)
        {
            messages.Add(db, key, eventClass, name);
        }

        return messages.Channels.Count == 0 ? Task.CompletedTask : ctx.Grains.GetGrain<IPubSubGrain>(0).PublishMany([.. messages.Channels], [.. messages.Messages]);
    }
}
