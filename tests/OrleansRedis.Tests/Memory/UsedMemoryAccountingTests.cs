using System.Net.Sockets;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Memory;

/// <summary>
/// used_memory (what maxmemory limits) against what the keyspace really costs the process: the
/// growth of its resident set (VmRSS, after MEMORY PURGE) when keys are added, within ±25 %,
/// for active small strings, idle ones (their grains deactivated, AOF on), one large hash, and
/// large values. Real server processes, keys loaded through one pipelined connection.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class UsedMemoryAccountingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ActiveSmallStrings() =>
        await Measure("active strings", ["--appendonly", "no"], Enumerable.Range(0, 100_000).Select(i => new[] { "SET", $"str:{i}", new string('x', 100) }));

    [Fact]
    public async Task OneLargeHash() =>
        await Measure("hash fields", ["--appendonly", "no"], Enumerable.Range(0, 200_000).Select(i => new[] { "HSET", "h", $"field:{i}", $"value:{i}" }));

    [Fact]
    public async Task LargeValues() =>
        await Measure("large values", ["--appendonly", "no"], Enumerable.Range(0, 20).Select(i => new[] { "SET", $"big:{i}", new string((char)('a' + i), 4 * 1024 * 1024) }));

    [Fact]
    public async Task IdleSmallStrings() =>
        await Measure("idle strings", ["--key-idle-seconds", "2", "--appendfsync", "no"], Enumerable.Range(0, 100_000).Select(i => new[] { "SET", $"idle:{i}", new string('y', 100) }), waitForIdle: true);

    private async Task Measure(string what, string[] args, IEnumerable<string[]> commands, bool waitForIdle = false)
    {
        await using var silo = await ServerProcess.Start(args);
        using var client = new RawClient(silo.Port);
        var (rss0, used0) = await Settle(silo, client);
        Load(silo.Port, commands);
        if (waitForIdle)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (client.InfoField("persistence", "orleans_active_key_grains") > 100 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }

        var (rss1, used1) = await Settle(silo, client);
        double ratio = (double)(used1 - used0) / (rss1 - rss0);
        output.WriteLine($"{what}: RSS grew {(rss1 - rss0) / 1024} KB, used_memory {(used1 - used0) / 1024} KB, ratio {ratio:F2}");
        Assert.InRange(ratio, 0.75, 1.25);
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
