using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Commands.Hashes;
using OrleansRedis.Grains.Commands.Keys;
using OrleansRedis.Grains.Commands.Lists;
using OrleansRedis.Grains.Commands.Sets;
using OrleansRedis.Grains.Commands.SortedSets;
using OrleansRedis.Grains.Commands.Strings;
using OrleansRedis.Grains.Keys;

namespace OrleansRedis.Grains.Commands;

/// <summary>Runs one key command on a key's state: the command families' single entry point, used by the key grain.</summary>
public static class KeyCommandRunner
{
    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="state"/> at <paramref name="nowMs"/>,
    /// removing the key first if it has expired. The families are contiguous ranges of <see cref="CommandId"/>.
    /// </summary>
    public static Reply Run(KeyState state, KeyCommand command, long nowMs, bool lfu = false)
    {
        if (state.IsExpired(nowMs))
        {
            state.Clear();
        }

        // OBJECT and MEMORY look at a key without touching it, as in Redis.
        if (command.Id is not (CommandId.ObjectEncoding or CommandId.ObjectIdleTime or CommandId.ObjectFreq or CommandId.MemoryUsage))
        {
            state.LastAccessMs = nowMs;
            if (lfu)
            {
                long minute = nowMs / 60_000;
                if (!state.Exists)
                {
                    // A key written now is a new object: it starts at the initial count, as in Redis.
                    (state.Frequency, state.FrequencyMinute) = (Memory.Lfu.Initial, minute);
                }

                state.Frequency = Memory.Lfu.Touch(state.Frequency, state.FrequencyMinute, minute);
                state.FrequencyMinute = minute;
            }
        }

        var ctx = new KeyCommandContext(state, command, nowMs, lfu);
        return command.Id switch
        {
            >= CommandId.Set and <= CommandId.IncrByFloat or CommandId.GetOrNil => StringCommands.Execute(ctx),
            >= CommandId.SetBit and <= CommandId.BitFieldRo => Bitmaps.BitmapCommands.Execute(ctx),
            >= CommandId.HSet and <= CommandId.HScan => HashCommands.Execute(ctx),
            >= CommandId.LPush and <= CommandId.LPos => ListCommands.Execute(ctx),
            >= CommandId.SAdd and <= CommandId.SScan => SetCommands.Execute(ctx),
            >= CommandId.ZAdd and <= CommandId.ZScan or CommandId.ZMembersWithScores or CommandId.ZRangeForStore => SortedSetCommands.Execute(ctx),
            >= CommandId.Del and <= CommandId.Touch or CommandId.SortElements => KeyspaceCommands.Execute(ctx),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.Id, "not a key command"),
        };
    }
}
