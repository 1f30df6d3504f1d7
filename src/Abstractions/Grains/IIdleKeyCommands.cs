using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Abstractions.Grains;

/// <summary>
/// Runs a command on a key whose grain is not active, without activating it: a read of a
/// missing key costs a look-up in the node's index, a read of an idle string key one read of
/// its AOF record, and a write that creates a key is logged and indexed by the node, which
/// leaves the key idle (as if its grain had written it and gone), rather than each costing an
/// Orleans activation. Only a silo has one (its RESP server is embedded); a gateway always calls
/// the grain.
/// </summary>
public interface IIdleKeyCommands
{
    /// <summary>
    /// The reply of <paramref name="command"/> on its key in <paramref name="db"/> when this node
    /// serves the key's slot and can run it without the key's grain; null when the grain must.
    /// </summary>
    ValueTask<Reply?> TryRun(int db, KeyCommand command);
}
