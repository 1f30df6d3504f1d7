using System.Runtime;
using Microsoft.Extensions.Hosting;

namespace OrleansRedis.Abstractions.Hosting;

/// <summary>
/// Gives memory back to the system after a burst: every 2 seconds, when the process's resident
/// set has grown by half (and 64 MB) since the last collection this made (a large value deleted,
/// a client of huge replies gone), one compacting collection, large objects included, with
/// Aggressive mode, which decommits what is free; at most one every 4 seconds. When two in a
/// row give nothing back, the keyspace really grew: that becomes the new floor, so growth costs
/// two such collections per 1.5 times.
/// Redis's allocator returns freed memory as it goes; .NET's server GC keeps it unless asked.
/// </summary>
public sealed class MemoryReclaimer : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    // Collect when the process has grown by half (and 64 MB) over its floor.
    private const long SlackBytes = 64L * 1024 * 1024;
    private const double GrowthFactor = 1.5;

    // At most one collection in this long, so a burst still running is looked at again after it.
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(4);

    /// <summary>Compacting collections made (for tests and diagnostics).</summary>
    public static long Reclaims { get; private set; }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        long floor = Environment.WorkingSet;
        int fruitless = 0;
        var last = DateTime.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // The GC's own figures are as of its last collection, which may not have seen the
                // garbage yet; the resident set is what the system sees now.
                long rss = Environment.WorkingSet;
                long threshold = (long)(floor * GrowthFactor) + SlackBytes;
                if (rss <= threshold)
                {
                    floor = Math.Min(floor, rss);
                    fruitless = 0;
                    continue;
                }

                if (DateTime.UtcNow - last < MinimumGap)
                {
                    continue;
                }

                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                Reclaims++;
                last = DateTime.UtcNow;

                // Twice in a row nothing to give back (not a burst still running, but a keyspace
                // that really grew): what is in use now is the new floor.
                if (Environment.WorkingSet > threshold && ++fruitless >= 2)
                {
                    floor = Environment.WorkingSet;
                    fruitless = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
