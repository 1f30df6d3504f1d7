using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Grains.Commands;
using OrleansRedis.Grains.Keys;

namespace OrleansRedis.Grains.Persistence;

/// <summary>Rebuilds a key's state from its AOF records by running them through the key command families.</summary>
public static class AofReplay
{
    // Every command a key grain runs, by lower-case name: the records a replay may meet.
    private static readonly Dictionary<string, CommandId> KeyCommands = Enum.GetValues<CommandId>()
        .Where(id => id is >= CommandId.Set and <= CommandId.IncrByFloat or >= CommandId.SetBit and <= CommandId.BitField or >= CommandId.HSet and <= CommandId.HScan or >= CommandId.LPush and <= CommandId.LPos or >= CommandId.SAdd and <= CommandId.SScan or >= CommandId.ZAdd and <= CommandId.ZScan or >= CommandId.Del and <= CommandId.Touch)
        .ToDictionary(id => id.ToString().ToLowerInvariant(), id => id);

    /// <summary>Whether a record with this (lower-case) command name can be replayed on one key.</summary>
    public static bool IsKeyCommand(string name) => KeyCommands.ContainsKey(name);

    /// <summary>
    /// Applies <paramref name="commands"/> (whole commands, name first) to <paramref name="state"/>.
    /// Nothing expires while replaying, as in Redis's loading: an expiry met on the way is
    /// kept, and the key expires when next touched.
    /// </summary>
    public static void Apply(KeyState state, IEnumerable<byte[][]> commands)
    {
        foreach (var command in commands)
        {
            string name = Encoding.ASCII.GetString(command[0]).ToLowerInvariant();
            if (!KeyCommands.TryGetValue(name, out var id))
            {
                throw new InvalidDataException($"The AOF holds a command that cannot be replayed on one key: {name}");
            }

            KeyCommandRunner.Run(state, new KeyCommand(id, command[1..]), nowMs: 0);
        }

        state.ResetChanges();
    }
}
