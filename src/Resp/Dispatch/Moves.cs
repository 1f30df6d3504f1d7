using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;

namespace OrleansRedis.Resp.Dispatch;

/// <summary>
/// LMOVE, RPOPLPUSH and SMOVE: one element from a source key to a destination key. The source's
/// grain pops it and hands it to the destination's grain (<see cref="IKeyGrain.Move"/>), which
/// pushes it; a refused push puts it back, so the element is never lost. When both keys are on
/// one node, both halves are one transaction of its AOF; across nodes, the destination's half is
/// logged first (see docs/compatibility.md).
/// </summary>
public static class Moves
{
    /// <summary>LMOVE source destination LEFT|RIGHT LEFT|RIGHT.</summary>
    public static ValueTask<Reply> LMove(CommandContext ctx)
    {
        var args = ctx.Args;
        return End(args, 3) is { } pop && End(args, 4) is { } push
            ? Run(ctx, new KeyCommand(pop ? CommandId.LPop : CommandId.RPop, [args.ToArray(1)]), args.ToArray(2), push ? CommandId.LPush : CommandId.RPush)
            : ValueTask.FromResult<Reply>(Errors.Syntax);
    }

    /// <summary>RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT.</summary>
    public static ValueTask<Reply> RPopLPush(CommandContext ctx) =>
        Run(ctx, new KeyCommand(CommandId.RPop, [ctx.Args.ToArray(1)]), ctx.Args.ToArray(2), CommandId.LPush);

    /// <summary>SMOVE source destination member.</summary>
    public static ValueTask<Reply> SMove(CommandContext ctx)
    {
        byte[] source = ctx.Args.ToArray(1), destination = ctx.Args.ToArray(2), member = ctx.Args.ToArray(3);
        return source.AsSpan().SequenceEqual(destination)
            ? new(KeyRouting.Execute(ctx, new KeyCommand(CommandId.SIsMember, [source, member]))) // a no-op in Redis: 1 if the member is there
            : Run(ctx, new KeyCommand(CommandId.SRem, [source, member]), destination, CommandId.SAdd);
    }

    /// <summary>Moves what <paramref name="pop"/> takes from its key onto <paramref name="destination"/> with <paramref name="push"/>; retried while a slot moves.</summary>
    public static async ValueTask<Reply> Run(CommandContext ctx, KeyCommand pop, byte[] destination, CommandId push)
    {
        KeyRouting.RefuseIfAnyUnserved(ctx, [pop.Args[0], destination]);
        var grain = ctx.Grains.GetKeyGrain(ctx.Client.Db, pop.Args[0]);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await grain.Move(pop, destination, push);
            }
            catch (Exception exception) when (MovingSlots.ShouldRetry(exception, attempt))
            {
                await Task.Delay(MovingSlots.Pause);
            }
        }
    }

    /// <summary>LEFT (true) or RIGHT (false), as Redis's getListPositionFromObjectOrReply reads them; null for anything else.</summary>
    public static bool? End(RequestArgs args, int index) =>
        args.Is(index, "LEFT"u8) ? true : args.Is(index, "RIGHT"u8) ? false : null;
}
