using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Grains.Keys;

namespace OrleansRedis.Grains.Commands;

/// <summary>What a command family needs to run one command: the key's state, the command, and the time.</summary>
/// <param name="State">The key's value and expiry; the family changes it in place.</param>
/// <param name="Command">The command; <c>Args[0]</c> is the key.</param>
/// <param name="NowMs">Unix time in milliseconds, read once per command as Redis does.</param>
/// <param name="Lfu">Whether an LFU eviction policy is in force (keys count their accesses; OBJECT FREQ answers).</param>
public readonly record struct KeyCommandContext(KeyState State, KeyCommand Command, long NowMs, bool Lfu = false)
{
    /// <summary>The arguments after the command name.</summary>
    public byte[][] Args => Command.Args;

    /// <summary>The command's name in lower case, as error messages quote it.</summary>
    public string Name => Command.Id.ToString().ToLowerInvariant();
}
