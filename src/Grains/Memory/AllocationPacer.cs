namespace OrleansRedis.Grains.Memory;

/// <summary>
/// Under maxmemory, collects the youngest generation after every <see cref="Budget"/> bytes
/// allocated, whatever budget the collector chose for itself: the server collector sizes it by
/// throughput (tens of megabytes per heap), which at a small maxmemory is more than the limit's
/// whole headroom. Without a limit it does nothing.
/// </summary>
public sealed class AllocationPacer(MemorySettings settings)
{
    // How often allocation is looked at under a limit (at 200 MB/s, 1 MB), and without one.
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan IdleInterval = TimeSpan.FromMilliseconds(500);
    private CancellationTokenSource? _stop;

    /// <summary>
    /// Bytes allocated between young collections for a limit of <paramref name="maxMemory"/>: a
    /// 32nd of it, between 1 and 64 MB (from about 2 GB on, about what the collector takes anyway).
    /// </summary>
    public static long Budget(long maxMemory) => Math.Clamp(maxMemory / 32, 1L << 20, 64L << 20);

    /// <summary>Starts pacing.</summary>
    public void Start()
    {
        _stop = new CancellationTokenSource();
        _ = Task.Run(() => PaceAsync(_stop.Token));
    }

    /// <summary>Stops pacing.</summary>
    public void Stop() => _stop?.Cancel();

    private async Task PaceAsync(CancellationToken stop)
    {
        long mark = GC.GetTotalAllocatedBytes();
        int gen0 = GC.CollectionCount(0);
        try
        {
            while (true)
            {
                await Task.Delay(settings.Limit.MaxMemory > 0 ? Interval : IdleInterval, stop);
                long max = settings.Limit.MaxMemory;
                long allocated = GC.GetTotalAllocatedBytes();
                if (GC.CollectionCount(0) != gen0)
                {
                    // The collector collected on its own: count from there.
                    gen0 = GC.CollectionCount(0);
                    mark = allocated;
                    continue;
                }

                if (max > 0 && allocated - mark >= Budget(max))
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    gen0 = GC.CollectionCount(0);
                    mark = allocated;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
