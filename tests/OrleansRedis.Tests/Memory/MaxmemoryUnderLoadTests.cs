using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Memory;

/// <summary>
/// maxmemory under sustained writes of new keys, real process and redis-benchmark: with an
/// evicting policy every write is accepted, keys are evicted as they come, and used_memory stays
/// within 10 % of maxmemory: the 5 % band writes may use while the evictor works, plus the
/// writes already admitted and in flight. The load is 200,000 writes from 20 clients of 16
/// pipelined writes each (a new key costs about 300 bytes of used memory, as the node writes it
/// without a grain: three times the limit), for every evicting policy (volatile ones with keys
/// that have a TTL) at 20 MB, and 400,000 at 10 MB, where writes once waited on the evictor
/// while it waited on their grains and got OOM. The process's resident
/// set is held to its empty size plus 1.5 × maxmemory plus 96 MB: the garbage collector's
/// working room under this load is still 45–70 MB whatever the limit (docs/performance.md), so
/// Redis's own bound, without that constant, is not met yet.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class MaxmemoryUnderLoadTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("allkeys-lru")]
    [InlineData("allkeys-random")]
    [InlineData("allkeys-lfu")]
    [InlineData("volatile-lru")]
    [InlineData("volatile-ttl")]
    [InlineData("allkeys-lru", 10, 400_000)]
    public async Task UsedMemoryHoldsAndNoWriteIsRefused(string policy, int megabytes = 20, int requests = 200_000)
    {
        long limit = megabytes * 1024L * 1024;
        await using var silo = await ServerProcess.Start("--maxmemory", limit.ToString(), "--maxmemory-policy", policy);
        await Task.Delay(1000);
        long baseRss;
        using (var first = new RawClient(silo.Port))
        {
            baseRss = first.InfoField("memory", "used_memory_rss");
        }

        long peakUsed = 0, peakRss = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var client = new RawClient(silo.Port);
            while (!stop.IsCancellationRequested)
            {
                peakUsed = Math.Max(peakUsed, client.InfoField("memory", "used_memory"));
                peakRss = Math.Max(peakRss, client.InfoField("memory", "used_memory_rss"));
                await Task.Delay(100);
            }
        });
        string[] load = ["-p", silo.Port.ToString(), "-r", "100000000", "-n", requests.ToString(), "-P", "16", "-c", "20", "-q"];
        string value = new('v', 100);
        var (exitCode, text) = await ExternalTools.Run("redis-benchmark", policy.StartsWith("volatile-", StringComparison.Ordinal)
            ? [.. load, "SET", "key:__rand_int__", value, "EX", "100000"]
            : [.. load, "-t", "set", "-d", "100"]);
        stop.Cancel();
        await sampler;

        using var reader = new RawClient(silo.Port);
        long evicted = reader.InfoField("stats", "evicted_keys"), used = reader.InfoField("memory", "used_memory");
        output.WriteLine($"{policy}: {text.Split('\r', '\n').LastOrDefault(l => l.Contains("requests per second"))}; evicted {evicted}, used_memory {used}, peak used_memory {peakUsed}, RSS {baseRss / 1024} KB empty, peak {peakRss / 1024} KB");
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("OOM", text);
        Assert.True(evicted > 0, "nothing was evicted: the limit was never reached");
        Assert.True(peakUsed <= limit + (limit / 10), $"used_memory reached {peakUsed}, more than 10 % over the limit");
        long bound = baseRss + (limit * 3 / 2) + (96L * 1024 * 1024);
        Assert.True(peakRss <= bound, $"RSS reached {peakRss / 1024} KB from {baseRss / 1024} KB empty, over {bound / 1024} KB");
    }

}
