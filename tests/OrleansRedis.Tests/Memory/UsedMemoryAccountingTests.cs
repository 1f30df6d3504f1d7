using System.Net.Sockets;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Memory;

/// <summary>
/// used_memory (what maxmemory limits) against what the keyspace really costs the process: the
/// growth of its resident set (VmRSS, after MEMORY PURGE) when keys are added, within ±25 %,
/// for active small strings, idle ones (their grains deactivated, AOF on; and after a restart
/// that loaded them from the AOF), parked ones (written once without the AOF), one large hash, one long list, one large set, one large sorted set,
/// and large values. Real server processes,
/// keys loaded through one pipelined connection. Each server first runs a fifth as many of the
/// same commands on other keys, so that what is measured is what keys cost, not what the first
/// commands of a process cost once (JIT-compiled code, pools, tables grown to their size).
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class UsedMemoryAccountingTests(ITestOutputHelper output)
{
    // Written twice: the node writes a new key without its grain, the second write activates it.
    [Fact]
    public async Task ActiveSmallStrings() =>
        await Measure("active strings", ["--appendonly", "no"], n => Enumerable.Range(0, n).SelectMany(i => new[]
        {
            new[] { "SET", $"str:{n}:{i}", "first" }, ["SET", $"str:{n}:{i}", new string('x', 100)],
        }), 100_000);

    // Written once without the AOF: the node keeps the value parked, no grain is activated.
    [Fact]
    public async Task ParkedSmallStrings() =>
        await Measure("parked strings", ["--appendonly", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "SET", $"park:{n}:{i}", new string('p', 100) }), 100_000);

    [Fact]
    public async Task OneLargeHash() =>
        await Measure("hash fields", ["--appendonly", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "HSET", $"h{n}", $"field:{i}", $"value:{i}" }), 200_000);

    [Fact]
    public async Task OneLongList() =>
        await Measure("list elements", ["--appendonly", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "RPUSH", $"l{n}", $"element:{i}" }), 1_000_000);

    [Fact]
    public async Task OneLargeSet() =>
        await Measure("set members", ["--appendonly", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "SADD", $"s{n}", $"member:{i}" }), 200_000);

    [Fact]
    public async Task OneLargeSortedSet() =>
        await Measure("sorted set members", ["--appendonly", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "ZADD", $"z{n}", (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture), $"member:{i}" }), 200_000);

    [Fact]
    public async Task LargeValues() =>
        await Measure("large values", ["--appendonly", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "SET", $"big:{n}:{i}", new string((char)('a' + i), 4 * 1024 * 1024) }), 20);

    [Fact]
    public async Task IdleSmallStrings() =>
        await Measure("idle strings", ["--key-idle-seconds", "2", "--appendfsync", "no"], n => Enumerable.Range(0, n).Select(i => new[] { "SET", $"idle:{n}:{i}", new string('y', 100) }), 300_000, waitForIdle: true);

    [Fact]
    public async Task IdleSmallStringsAfterARestart()
    {
        // A server that has never run a command: its RSS and used_memory are the floor the
        // restarted one, whose keys only its AOF loader touched, is measured against.
        string[] args = ["--key-idle-seconds", "2", "--appendfsync", "no"];
        long rss0, used0;
        string dir = ServerProcess.NewDataDirectory();
        await using (var first = await ServerProcess.StartOn(dir, args))
        {
            using var client = new RawClient(first.Port);
            (rss0, used0) = await Settle(first, client);
            Load(first.Port, Enumerable.Range(0, 300_000).Select(i => new[] { "SET", $"idle:{i}", new string('y', 100) }));
            Assert.Equal(0, await first.Terminate(TimeSpan.FromSeconds(60)));
        }

        await using var restarted = await ServerProcess.StartOn(dir, args);
        using var again = new RawClient(restarted.Port);
        var (rss1, used1) = await Settle(restarted, again);
        Assert.Equal(":300000\r\n", again.Call("DBSIZE"));
        Report("idle strings after a restart", rss1 - rss0, used1 - used0);
    }

    private async Task Measure(string what, string[] args, Func<int, IEnumerable<string[]>> commands, int count, bool waitForIdle = false)
    {
        await using var silo = await ServerProcess.Start(args);
        using var client = new RawClient(silo.Port);
        Load(silo.Port, commands(count / 5));
        await WaitForIdle(client, waitForIdle);
        var (rss0, used0) = await Settle(silo, client);
        Load(silo.Port, commands(count));
        await WaitForIdle(client, waitForIdle);
        var (rss1, used1) = await Settle(silo, client);
        Report(what, rss1 - rss0, used1 - used0);
    }

    private void Report(string what, long rssGrowth, long usedGrowth)
    {
        double ratio = (double)usedGrowth / rssGrowth;
        output.WriteLine($"{what}: RSS grew {rssGrowth / 1024} KB, used_memory {usedGrowth / 1024} KB, ratio {ratio:F2}");
        Assert.InRange(ratio, 0.75, 1.25);
    }

    // Until the key grains have been deactivated (all but a few): their keys are then idle.
    private static async Task WaitForIdle(RawClient client, bool wait)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (wait && client.InfoField("persistence", "orleans_active_key_grains") > 100 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }
    }

    // RSS and used_memory once collected: MEMORY PURGE, then a moment.
    private static async Task<(long Rss, long Used)> Settle(ServerProcess silo, RawClient client)
    {
        Assert.Equal("+OK\r\n", client.Call("MEMORY", "PURGE"));
        await Task.Delay(1500);
        string line = File.ReadAllLines($"/proc/{silo.ProcessId}/status").Single(l => l.StartsWith("VmRSS:"));
        return (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024, client.InfoField("memory", "used_memory"));
    }

    // Pipelined in chunks, every reply read.
    private static void Load(int port, IEnumerable<string[]> commands)
    {
        using var tcp = new TcpClient("127.0.0.1", port) { NoDelay = true };
        var stream = tcp.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        foreach (var chunk in commands.Chunk(500))
        {
            using (var buffer = new MemoryStream())
            {
                foreach (var command in chunk)
                {
                    buffer.Write(RawClient.Encode(command));
                }

                stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            }

            for (int i = 0; i < chunk.Length; i++)
            {
                string reply = reader.ReadLine() ?? throw new IOException("closed");
                Assert.False(reply.StartsWith('-'), reply);
            }
        }
    }

}
