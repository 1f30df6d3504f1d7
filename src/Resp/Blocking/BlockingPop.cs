using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Blocking;

/// <summary>
/// BLPOP, BRPOP, BZPOPMIN, BZPOPMAX, BLMPOP, BZMPOP, BLMOVE and BRPOPLPUSH. The keys are asked in
/// order (<see cref="IKeyGrain.PopOrWait"/>): the first with elements serves the client at once;
/// otherwise each keeps the client as a waiter, and the first key to get elements claims it
/// (through <see cref="BlockedClients"/>), pops for it in its grain and delivers. The reply is
/// shaped here, with the key that served it; a timeout, CLIENT UNBLOCK or disconnect ends the
/// wait only while no grain has claimed it, so no element is popped for a client that does not get it.
/// </summary>
public static class BlockingPop
{
    private static readonly ErrorReply NotAFloat = new("ERR timeout is not a float or out of range");
    private static readonly ErrorReply Negative = new("ERR timeout is negative");

    /// <summary>CLIENT UNBLOCK … ERROR's reply to the unblocked client.</summary>
    public static readonly ErrorReply Unblocked = new("UNBLOCKED client unblocked via CLIENT UNBLOCK");

    /// <summary>BLPOP/BRPOP key… timeout (<paramref name="pop"/> LPOP or RPOP): [key, element].</summary>
    public static ValueTask<Reply> FromList(CommandContext ctx, CommandId pop) =>
        FirstOfKeys(ctx, pop, static (key, popped) => new ArrayReply([new BulkReply(key), popped]));

    /// <summary>BZPOPMIN/BZPOPMAX key… timeout: [key, member, score].</summary>
    public static ValueTask<Reply> FromSortedSet(CommandContext ctx, CommandId pop) =>
        FirstOfKeys(ctx, pop, static (key, popped) => new ArrayReply([new BulkReply(key), .. ((ArrayReply)popped).Items]));

    /// <summary>BLMPOP/BZMPOP timeout numkeys key… end [COUNT n]: [key, elements], as LMPOP and ZMPOP answer.</summary>
    public static ValueTask<Reply> Multi(CommandContext ctx, (string Word, CommandId Pop) first, (string Word, CommandId Pop) second, Func<byte[], Reply, Reply> shape)
    {
        if (Timeout(ctx.Args, 1, out var timeout) is { } invalid)
        {
            return ValueTask.FromResult<Reply>(invalid);
        }

        if (MultiPop.Parse(ctx.Args, 2, first, second, out var keys, out var pop, out var count) is { } error)
        {
            return ValueTask.FromResult<Reply>(error);
        }

        return Wait(ctx, keys, key => new KeyCommand(pop, [key, count]), null, CommandId.None, timeout, (key, popped) => new ArrayReply([new BulkReply(key), shape(key, popped)]));
    }

    /// <summary>BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH source destination timeout: the element.</summary>
    public static ValueTask<Reply> Move(CommandContext ctx, CommandId pop, CommandId push, int timeoutAt)
    {
        if (Timeout(ctx.Args, timeoutAt, out var timeout) is { } invalid)
        {
            return ValueTask.FromResult<Reply>(invalid);
        }

        return Wait(ctx, [ctx.Args.ToArray(1)], key => new KeyCommand(pop, [key]), ctx.Args.ToArray(2), push, timeout, static (_, moved) => moved);
    }

    // The commands whose keys come first and the timeout last.
    private static ValueTask<Reply> FirstOfKeys(CommandContext ctx, CommandId pop, Func<byte[], Reply, Reply> shape)
    {
        var args = ctx.Args;
        if (Timeout(args, args.Count - 1, out var timeout) is { } invalid)
        {
            return ValueTask.FromResult<Reply>(invalid);
        }

        var keys = Enumerable.Range(1, args.Count - 2).Select(args.ToArray).ToArray();
        return Wait(ctx, keys, key => new KeyCommand(pop, [key]), null, CommandId.None, timeout, shape);
    }

    // Redis's getTimeoutFromObjectOrReply in seconds: a float whose milliseconds, rounded up, are not negative; 0 waits forever.
    private static ErrorReply? Timeout(RequestArgs args, int index, out TimeSpan timeout)
    {
        timeout = System.Threading.Timeout.InfiniteTimeSpan;
        byte[] text = args.ToArray(index);
        if (!Abstractions.Text.RedisNumber.TryParseDouble(text, out double seconds) || double.IsNaN(seconds))
        {
            // Redis reads a long double, which holds 1e400: beyond a double, that is "negative" too (below).
            bool overflows = text.Length > 0 && !text.Contains((byte)' ') && !text.Contains((byte)0)
                && double.TryParse(System.Text.Encoding.ASCII.GetString(text), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds)
                && double.IsInfinity(seconds);
            if (!overflows)
            {
                return NotAFloat;
            }
        }

        // Redis casts ceil(ms) to a long long: past its range (inf too) that comes out negative.
        double ms = Math.Ceiling(seconds * 1000);
        if (ms < 0 || ms >= 9.2233720368547758E18 || double.IsInfinity(ms))
        {
            return Negative;
        }

        // Past what a timer can wait (about 49 days) is as good as forever here.
        timeout = ms == 0 || ms >= uint.MaxValue - 1 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
        return null;
    }

    private static async ValueTask<Reply> Wait(CommandContext ctx, byte[][] keys, Func<byte[], KeyCommand> pop, byte[]? moveTo, CommandId push, TimeSpan timeout, Func<byte[], Reply, Reply> shape)
    {
        KeyRouting.RefuseIfAnyUnserved(ctx, moveTo is null ? keys : [.. keys, moveTo]);
        var blocked = ctx.Server.Blocked;
        var wait = blocked.Begin(ctx.Client, keys, Reply.NullArray);
        var grains = keys.Select(key => ctx.Grains.GetKeyGrain(ctx.Client.Db, key)).ToArray();
        wait.Waiters = keys.Select(key => new Waiter(blocked.Reference, wait.Id, pop(key), moveTo, push)).ToArray();
        wait.Db = ctx.Client.Db;
        using var closing = ctx.Client.Closing.Register(() => wait.TryEnd(NoReply.Instance));
        try
        {
            if (await Register(wait, grains) is { } served)
            {
                return served.Reply is ErrorReply or NoReply ? served.Reply : shape(served.Key, served.Reply);
            }

            wait.Registered = true;
            long blockedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            if (await Task.WhenAny(wait.Result, Task.Delay(timeout)) != wait.Result && !wait.TryEnd(wait.OnTimeout))
            {
                // A grain claimed it just now: its delivery is on the way.
                await wait.Result.WaitAsync(TimeSpan.FromSeconds(30));
            }

            ctx.Client.BlockedTicks += System.Diagnostics.Stopwatch.GetTimestamp() - blockedAt;

            var (key, reply) = await wait.Result;
            return key is null || reply is ErrorReply ? reply : shape(key, reply);
        }
        finally
        {
            blocked.End(wait);
            foreach (var grain in grains)
            {
                _ = ForgetQuietly(grain, wait.Id);
            }
        }
    }

    // Asks each key in order; returns the key and reply that served the client at once, or null once every key keeps it.
    private static async Task<(byte[] Key, Reply Reply)?> Register(BlockedWait wait, IKeyGrain[] grains)
    {
        for (int i = 0; i < grains.Length; i++)
        {
            // Once kept by an earlier key, that key may claim it any moment: later keys must claim it too before popping.
            var reply = await grains[i].PopOrWait(wait.Waiters[i], claimFirst: i > 0);
            if (reply is NoReply)
            {
                // Claimed by an earlier key meanwhile (its delivery comes), or ended.
                var (key, delivered) = await wait.Result;
                return (key ?? wait.Keys[i], delivered);
            }

            if (reply is not null)
            {
                wait.Deliver(wait.Keys[i], reply);
                return (wait.Keys[i], reply);
            }
        }

        return null;
    }

    /// <summary>
    /// The periodic check of a registered wait (<see cref="BlockedClients"/>): a key grain that
    /// lost it (a new activation) gets it again, and may serve it at once; a key whose node is
    /// down ends it with CLUSTERDOWN.
    /// </summary>
    public static async Task Check(BlockedWait wait, IGrainFactory grains)
    {
        for (int i = 0; i < wait.Keys.Length; i++)
        {
            var grain = grains.GetKeyGrain(wait.Db, wait.Keys[i]);
            try
            {
                if (!wait.IsWaiting || await grain.IsKeeping(wait.Id))
                {
                    continue;
                }

                if (await grain.PopOrWait(wait.Waiters[i], claimFirst: true) is { } reply and not NoReply)
                {
                    wait.Deliver(wait.Keys[i], reply);
                    return;
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                wait.TryEnd(Errors.ClusterDown);
                return;
            }
        }
    }

    private static async Task ForgetQuietly(IKeyGrain grain, long waiterId)
    {
        try
        {
            await grain.StopKeeping(waiterId);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Its node is gone, and its waiters with it.
        }
    }
}
