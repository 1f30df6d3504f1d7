using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Memory;

/// <summary>
/// maxmemory under sustained writes of new keys, real process and redis-benchmark: with an
/// evicting policy every write is accepted, keys are evicted as they come, and used_memory stays
/// within 10 % of maxmemory: the 5 % band writes may use while the evictor works, plus the
/// writes already admitted and in flight.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class MaxmemoryUnderLoadTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("allkeys-lru")]
    [InlineData("allkeys-random")]
    public async Task UsedMemoryHoldsAndNoWriteIsRefused(string policy)
    {
        const long limit = 20L * 1024 * 1024;
        await using var silo = await ServerProcess.Start("--maxmemory", limit.ToString(), "--maxmemory-policy", policy);
        long peakUsed = 0, peakRss = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var client = new RawClient(silo.Port);
            while (!stop.IsCancellationRequested)
            {
                peakUsed = Math.Max(peakUsed, Field(client, "memory", "used_memory"));
                peakRss = Math.Max(peakRss, Field(client, "memory", "used_memory_rss"));
                await Task.Delay(100);
            }
        });
        var (exitCode, text) = await ExternalTools.Run("redis-benchmark",
            ["-p", silo.Port.ToString(), "-t", "set", "-r", "100000000", "-n", "40000", "-d", "100", "-P", "8", "-c", "5", "-q"]);
        stop.Cancel();
        await sampler;

        using var reader = new RawClient(silo.Port);
        long evicted = Field(reader, "stats", "evicted_keys"), used = Field(reader, "memory", "used_memory");
        output.WriteLine($"{policy}: {text.Split('\r', '\n').LastOrDefault(l => l.Contains("requests per second"))}; evicted {evicted}, used_memory {used}, peak used_memory {peakUsed}, peak RSS {peakRss / 1024} KB");
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("OOM", text);
        Assert.True(evicted > 0, "nothing was evicted: the limit was never reached");
        Assert.True(peakUsed <= limit + (limit / 10), $"used_memory reached {peakUsed}, more than 10 % over the limit");
    }

    private static long Field(RawClient client, string section, string name)
    {
        string line = client.Call("INFO", section).Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..]);
    }
}
