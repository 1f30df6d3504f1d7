using System.Diagnostics;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Connection;

/// <summary>
/// The single-key commands of one read, run as few grain calls as their keys allow: all the
/// commands on one key go in order in one call, and calls for different keys run at once.
/// Replies are written in the order the commands came. Any other command is a barrier: the
/// batch runs before it, so every command sees the effects of the ones sent before it.
/// </summary>
public sealed class PipelineBatch
{
    private readonly List<Entry> _entries = [];

    /// <summary>Whether nothing waits to run.</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Queues a single-key command.</summary>
    public void Add(CommandSpec spec, KeyCommand command, int db) => _entries.Add(new Entry(spec, command, db, null));

    /// <summary>Queues a reply that is already known (a rejected command), to keep its place in the order.</summary>
    public void Add(Reply reply) => _entries.Add(new Entry(null, null, 0, reply));

    /// <summary>Runs the queued commands and writes every queued reply in order.</summary>
    public async ValueTask RunAsync(ClientConnection client, Func<Reply, ValueTask> write)
    {
        if (_entries.Count == 0)
        {
            return;
        }

        var replies = new Reply?[_entries.Count];
        long started = Stopwatch.GetTimestamp();
        if (_entries is [{ Command: { } single } only])
        {
            // No pipeline: one call, without grouping.
            await RunOne(client, client.Server.Grains.GetKeyGrain(only.Db, single.Args[0]), 0, replies);
        }
        else
        {
            var calls = new List<Task>();
            foreach (var (grain, indexes) in GroupByKey(client.Server.Grains))
            {
                calls.Add(indexes.Count == 1
                    ? RunOne(client, grain, indexes[0], replies)
                    : RunMany(client, grain, indexes, replies));
            }

            await Task.WhenAll(calls);
        }

        // Each command of the batch is charged its share of the time the batch took (they run at once).
        long share = (Stopwatch.GetTimestamp() - started) / _entries.Count;
        for (int i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            var reply = entry.Ready ?? replies[i]!;
            entry.Spec?.Stats.Count(rejected: false, failed: reply is ErrorReply, share);
            await write(reply);
        }

        _entries.Clear();
    }

    private async Task RunOne(ClientConnection client, IKeyGrain grain, int index, Reply?[] replies)
    {
        var entry = _entries[index];
        if (!client.Server.Nodes.Serves(entry.Command!.Args[0]))
        {
            // The slot's owner is down: CLUSTERDOWN at once, without a call that placement would refuse.
            replies[index] = Errors.SlotNotServed;
            return;
        }

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                replies[index] = await KeyRouting.Execute(client.Server, entry.Db, grain, entry.Command!);
                return;
            }
            catch (Exception exception) when (MovingSlots.ShouldRetry(exception, attempt))
            {
                await Task.Delay(MovingSlots.Pause);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                replies[index] = CommandDispatcher.Failure(client, entry.Spec!, exception);
                return;
            }
        }
    }

    private async Task RunMany(ClientConnection client, IKeyGrain grain, List<int> indexes, Reply?[] replies)
    {
        var commands = indexes.Select(i => _entries[i].Command!).ToArray();
        if (!client.Server.Nodes.Serves(commands[0].Args[0]))
        {
            foreach (int i in indexes)
            {
                replies[i] = Errors.SlotNotServed;
            }

            return;
        }

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var results = await grain.ExecuteBatch(commands);
                for (int i = 0; i < indexes.Count; i++)
                {
                    replies[indexes[i]] = results[i];
                }

                return;
            }
            catch (Exception exception) when (MovingSlots.ShouldRetry(exception, attempt))
            {
                await Task.Delay(MovingSlots.Pause);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                foreach (int i in indexes)
                {
                    replies[i] = CommandDispatcher.Failure(client, _entries[i].Spec!, exception);
                }

                return;
            }
        }
    }

    // The queued commands grouped by the grain they go to, each group in arrival order.
    private List<(IKeyGrain Grain, List<int> Indexes)> GroupByKey(IGrainFactory grains)
    {
        var groups = new List<(IKeyGrain, List<int>)>();
        Dictionary<byte[], List<int>>? byAddress = null;
        for (int i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            if (entry.Command is null)
            {
                continue;
            }

            byte[] address = KeyAddress.Encode(entry.Db, entry.Command.Args[0]);
            byAddress ??= new Dictionary<byte[], List<int>>(ByteArrayComparer.Instance);
            if (byAddress.TryGetValue(address, out var indexes))
            {
                indexes.Add(i);
                continue;
            }

            indexes = [i];
            byAddress[address] = indexes;
            groups.Add((grains.GetKeyGrain(address), indexes));
        }

        return groups;
    }

    private readonly record struct Entry(CommandSpec? Spec, KeyCommand? Command, int Db, Reply? Ready);
}
