using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// Runs a command on a key that the local node knows does not exist, without activating the
/// key's grain: a read of a missing key costs a look-up in the node's index, and a write that
/// creates the key is logged and indexed by the node, which leaves the key idle (as if its grain
/// had written it and gone), rather than costing an Orleans activation. Only a silo has one (its
/// RESP server is embedded); a gateway always calls the grain.
/// </summary>
public interface IAbsentKeyCommands
{
    /// <summary>
    /// The reply of <paramref name="command"/> on its key in <paramref name="db"/>, when this node
    /// serves the key's slot and knows the key is missing; null when the key's grain must run it.
    /// </summary>
    ValueTask<Reply?> TryRun(int db, KeyCommand command);
}
