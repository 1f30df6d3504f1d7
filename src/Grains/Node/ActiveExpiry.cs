using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Grains.Cluster;

namespace OrleansRedis.Grains.Node;

/// <summary>
/// Redis's active expiry cycle for the keys whose grains are not active (an active key grain
/// expires its key on a timer of its own): ten times a second, each database's keys with an
/// expiry are walked from where the last cycle stopped, a page at a time, and the expired ones
/// deleted (logged, counted in expired_keys, their "expired" event published). Like Redis, a
/// cycle goes on while more than a tenth of a page had expired, within a time budget, so
/// expired keys go soon after their time and DBSIZE counts them only until then.
/// </summary>
public sealed partial class ActiveExpiry(NodeKeyIndex index, NodeTopology topology, IdleKeyDeletion idle, NodeStats stats, ILogger<ActiveExpiry> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const int PageSize = 64;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(25);

    private readonly Dictionary<int, ulong> _cursors = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ActiveExpiry), ServiceLifecycleStage.Active, _ =>
        {
            _loop = Task.Run(RunAsync);
            return Task.CompletedTask;
        }, async _ =>
        {
            await _stopping.CancelAsync();
            await _loop;
        });

    /// <summary>One cycle over every database (the loop calls it; tests may too).</summary>
    public async Task<int> CycleAsync()
    {
        int expired = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (int db in index.Databases.ToArray())
        {
            if (index.CountOf(db, volatileOnly: true) == 0)
            {
                continue;
            }

            var page = new List<byte[]>(PageSize);
            ulong cursor = _cursors.GetValueOrDefault(db);
            int expiredInPage;
            do
            {
                page.Clear();
                cursor = index.Walk(db, cursor, PageSize, page, volatileOnly: true);
                long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                expiredInPage = 0;
                foreach (var key in page)
                {
                    if (index.Entry(db, key) is { } entry && entry.IsExpired(now) && topology.Owns(HashSlot.Of(key))
                        && await idle.TryDelete(db, key, e => e.IsExpired(now), KeyspaceEventFlags.Expired, "expired") == true)
                    {
                        stats.Expired();
                        expiredInPage++;
                    }
                }

                expired += expiredInPage;
            }
            while (cursor != 0 && expiredInPage * 10 > page.Count && started.Elapsed < Budget);
            _cursors[db] = cursor;
        }

        return expired;
    }

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await CycleAsync();
                }
                catch (Exception exception) when (!_stopping.IsCancellationRequested)
                {
                    LogCycleFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An active expiry cycle failed; the next one tries again")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);
}
