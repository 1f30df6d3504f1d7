using OrleansRedis.Resp.Commands.Hashes;
using OrleansRedis.Resp.Commands.Keys;
using OrleansRedis.Resp.Commands.Lists;
using OrleansRedis.Resp.Commands.PubSub;
using OrleansRedis.Resp.Commands.Server;
using OrleansRedis.Resp.Commands.Sets;
using OrleansRedis.Resp.Commands.SortedSets;
using OrleansRedis.Resp.Commands.Strings;

namespace OrleansRedis.Resp.Commands;

/// <summary>Every command family's bindings: what the command table is built from.</summary>
public static class CommandBindings
{
    /// <summary>All bindings.</summary>
    public static IEnumerable<CommandBinding> All =>
        ConnectionBindings.All
            .Concat(ClientBindings.All)
            .Concat(IntrospectionBindings.All)
            .Concat(ServerBindings.All)
            .Concat(ShutdownBindings.All)
            .Concat(HelpBindings.All)
            .Concat(NodeBindings.All)
            .Concat(StringBindings.All)
            .Concat(Bitmaps.BitmapBindings.All)
            .Concat(HashBindings.All)
            .Concat(ListBindings.All)
            .Concat(SetBindings.All)
            .Concat(SortedSetBindings.All)
            .Concat(SortedSets.SortedSetAlgebraBindings.All)
            .Concat(KeyBindings.All)
            .Concat(SortBinding.All)
            .Concat(PubSubBindings.All);
}
