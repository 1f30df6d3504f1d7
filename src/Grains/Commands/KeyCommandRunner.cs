using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Grains.Commands.Hashes;
using OrleansRedis.Grains.Commands.Keys;
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
    public static Reply Run(KeyState state, KeyCommand command, long nowMs)
    {
        if (state.IsExpired(nowMs))
        {
            state.Clear();
        }

        // OBJECT and MEMORY look at a key without touching it, as in Redis.
        if (command.Id is not (CommandId.ObjectEncoding or CommandId.ObjectIdleTime or CommandId.ObjectFreq or CommandId.MemoryUsage))
        {
            state.LastAccessMs = nowMs;
        }

        var ctx = new KeyCommandContext(state, command, nowMs);
        return command.Id switch
        {
            >= CommandId.Set and <= CommandId.IncrByFloat or CommandId.GetOrNil => StringCommands.Execute(ctx),
            >= CommandId.HSet and <= CommandId.HScan => HashCommands.Execute(ctx),
            >= CommandId.Del and <= CommandId.Touch => KeyspaceCommands.Execute(ctx),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.Id, "not a key command"),
        };
    }
}
