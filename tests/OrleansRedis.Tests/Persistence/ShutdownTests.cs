using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Persistence;

/// <summary>
/// Stopping the server on purpose (SIGTERM, <c>redis-cli shutdown</c>) writes and fsyncs every
/// queued AOF record before the process exits, however long that takes.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SigtermWithALongBacklogWritesEverythingBeforeExiting()
    {
        // A slow disk, made by fault injection: 20 ms per record, so even a few writers keep a
        // backlog that takes the writer over a second to drain once SIGTERM arrives.
        string dir = ServerProcess.NewDataDirectory();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        int exitCode;
        string log;
        await using (var silo = await ServerProcess.StartWithEnvironment(dir, new Dictionary<string, string> { ["ORLEANSREDIS_TEST_AOF_DELAY_MS"] = "20" }))
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 32).Select(w => Task.Run(() =>
            {
                try
                {
                    using var client = new RawClient(silo.Port);
                    for (int i = 0; !stop.IsCancellationRequested; i++)
                    {
                        // Pipelined: 8 writes in flight per writer, 256 in all.
                        var keys = Enumerable.Range(0, 8).Select(j => $"t:{w}:{i}:{j}").ToList();
                        foreach (var key in keys)
                        {
                            client.Command("SET", key, "v");
                        }

                        foreach (var key in keys)
                        {
                            if (client.ReadReply() == "+OK\r\n")
                            {
                                acknowledged.Add(key);
                            }
                        }
                    }
                }
                catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
                {
                    // The server closed the connection on its way out (or was gone before this writer connected).
                }
            })).ToList();
            await Task.Delay(3000);
            exitCode = await silo.Terminate(TimeSpan.FromMinutes(2));
            stop.Cancel();
            await Task.WhenAll(writers);
            log = silo.Output;
        }

        output.WriteLine($"acknowledged {acknowledged.Count}");
        output.WriteLine(log);
        Assert.Equal(0, exitCode);
        Assert.Contains("Writing the AOF before exit", log);
        await using var again = await ServerProcess.StartOn(dir);
        using var reader = new RawClient(again.Port);
        var missing = acknowledged.Where(key => reader.Call("EXISTS", key) != ":1\r\n").ToList();
        Assert.True(acknowledged.Count > 5, $"only {acknowledged.Count} writes acknowledged");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task RedisCliShutdownStopsTheServerWithEveryWriteKept()
    {
        string dir = ServerProcess.NewDataDirectory();
        await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", "no"))
        {
            await ExternalTools.Run("redis-benchmark", ["-p", silo.Port.ToString(), "-t", "set", "-n", "5000", "-r", "1000000000", "-P", "16", "-q"]);
            using (var client = new RawClient(silo.Port))
            {
                Assert.Equal("+OK\r\n", client.Call("SET", "last", "written"));
            }

            // SAVE cannot be honoured (no RDB snapshots): refused as Redis refuses a failed save, and the server goes on.
            var (saveCode, saveOutput) = await ExternalTools.Run("redis-cli", ["-p", silo.Port.ToString(), "shutdown", "save"]);
            Assert.Contains("ERR Errors trying to SHUTDOWN. Check logs.", saveOutput);
            Assert.False(silo.HasExited);

            var (code, text) = await ExternalTools.Run("redis-cli", ["-p", silo.Port.ToString(), "shutdown"]);
            output.WriteLine($"redis-cli shutdown: {code} {text}");
            Assert.Equal(0, await silo.WaitForExit(TimeSpan.FromSeconds(60)));
        }

        await using var again = await ServerProcess.StartOn(dir);
        using var reader = new RawClient(again.Port);
        Assert.Equal("$7\r\nwritten\r\n", reader.Call("GET", "last"));
        Assert.StartsWith(":", reader.Call("DBSIZE"));
    }
}
