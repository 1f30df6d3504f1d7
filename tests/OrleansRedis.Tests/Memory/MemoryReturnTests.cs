using System.Net.Sockets;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Memory;

/// <summary>
/// Memory comes back to the system after a burst, measured as the server process's resident
/// set (VmRSS): after DEL of a 100 MB value, and after a client that asked for 200 MB of
/// replies without reading them disconnects, RSS returns to within twice its earlier level in 10 s.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class MemoryReturnTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RssComesBackAfterALargeValueIsDeleted()
    {
        await using var silo = await ServerProcess.Start("--appendonly", "no");
        long before = await SettledRss(silo);
        using (var client = new RawClient(silo.Port))
        {
            // Real bytes (a SETRANGE far out would leave untouched zero pages, which take no RSS).
            Assert.Equal("+OK\r\n", client.Call("SET", "big", new string('x', 100 * 1024 * 1024)));
            Assert.Equal(":104857600\r\n", client.Call("STRLEN", "big"));
            long with = Rss(silo);
            output.WriteLine($"RSS before {before / 1024} KB, with the value {with / 1024} KB");
            Assert.True(with > before + (50 * 1024 * 1024), "the value did not make the process grow: the test would prove nothing");
            Assert.Equal(":1\r\n", client.Call("DEL", "big"));
        }

        await AssertComesBack(silo, before);
    }

    [Fact]
    public async Task RssComesBackAfterAClientOfHugeRepliesDisconnects()
    {
        await using var silo = await ServerProcess.Start("--appendonly", "no");
        using (var client = new RawClient(silo.Port))
        {
            Assert.Equal("+OK\r\n", client.Call("SET", "mb", new string('y', 1024 * 1024)));
        }

        long before = await SettledRss(silo);

        // Eight clients each ask for 100 MB of replies in one pipeline and take them all.
        long peak = before;
        var greedy = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            using var tcp = new TcpClient("127.0.0.1", silo.Port);
            var stream = tcp.GetStream();
            stream.ReadTimeout = 30_000;
            var get = RawClient.Encode("GET", "mb");
            for (int i = 0; i < 100; i++)
            {
                stream.Write(get);
            }

            var buffer = new byte[1 << 16];
            long expected = 100L * ((1024 * 1024) + 12), received = 0; // "$1048576\r\n" + value + "\r\n"
            while (received < expected && stream.Read(buffer) is var read and > 0)
            {
                received += read;
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), Rss(silo)));
            }
        })).ToList();
        await Task.WhenAll(greedy);
        output.WriteLine($"RSS before {before / 1024} KB, at most {peak / 1024} KB while 800 MB of replies went out");
        await AssertComesBack(silo, before);
    }

    private async Task AssertComesBack(ServerProcess silo, long before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        long now = Rss(silo);
        while (now > 2 * before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            now = Rss(silo);
        }

        output.WriteLine($"RSS after {now / 1024} KB");
        Assert.True(now <= 2 * before, $"RSS {now / 1024} KB, more than twice the {before / 1024} KB before");
        using var client = new RawClient(silo.Port);
        Assert.Equal("+PONG\r\n", client.Call("PING"));
    }

    // The RSS once the freshly started server has settled (a few commands run, a few seconds passed).
    private static async Task<long> SettledRss(ServerProcess silo)
    {
        using (var client = new RawClient(silo.Port))
        {
            for (int i = 0; i < 100; i++)
            {
                client.Call("SET", $"warm:{i}", "v");
            }
        }

        await Task.Delay(3000);
        return Rss(silo);
    }

    private static long Rss(ServerProcess silo)
    {
        string line = File.ReadAllLines($"/proc/{silo.ProcessId}/status").Single(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
