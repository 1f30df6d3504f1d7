using System.Net.Sockets;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Persistence;

/// <summary>While a node loads a large AOF, its RESP port answers as Redis's does: -LOADING, and INFO with the loading fields.</summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class LoadingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WhileTheAofLoadsThePortAnswersLoadingThenServesEveryKey()
    {
        const int keys = 500_000;
        string dir = ServerProcess.NewDataDirectory();
        WriteAof(Path.Combine(dir, "appendonlydir"), keys);

        await using var silo = ServerProcess.Launch(dir);
        var seen = new List<string>();
        string? info = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline && !silo.HasExited)
        {
            try
            {
                using var client = new RawClient(silo.Port);
                string reply = client.Call("PING");
                seen.Add(reply);
                if (reply == "+PONG\r\n")
                {
                    break;
                }

                info ??= client.Call("INFO", "persistence");
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                // Not listening yet (the process is starting), or handed over just now.
            }

            await Task.Delay(20);
        }

        output.WriteLine($"{seen.Count(r => r.StartsWith("-LOADING"))} LOADING replies before PONG");
        Assert.Equal("+PONG\r\n", seen.LastOrDefault());
        Assert.Contains("-LOADING Redis is loading the dataset in memory\r\n", seen);
        Assert.NotNull(info);
        Assert.Contains("loading:1\r\n", info);
        Assert.Contains("loading_total_bytes:", info);
        Assert.Contains("loading_loaded_perc:", info);
        Assert.Contains("loading_eta_seconds:", info);
        Assert.Contains(silo.Output.Split('\n'), line => line.Contains("Loading the AOF:"));

        using var reader = new RawClient(silo.Port);
        Assert.Equal($":{keys}\r\n", reader.Call("DBSIZE"));
        Assert.Equal("$12\r\nvalue:123456\r\n", reader.Call("GET", "key:123456"));
        Assert.Contains("loading:0\r\n", reader.Call("INFO", "persistence"));
    }

    // An AOF of `count` SETs, as a base file with its manifest.
    private static void WriteAof(string aofDir, int count)
    {
        Directory.CreateDirectory(aofDir);
        using (var file = new BufferedStream(File.Create(Path.Combine(aofDir, "appendonly.aof.1.base.aof")), 1 << 20))
        {
            for (int i = 0; i < count; i++)
            {
                file.Write(RawClient.Encode("SET", $"key:{i}", $"value:{i}"));
            }
        }

        File.WriteAllText(Path.Combine(aofDir, "appendonly.aof.manifest"), "file appendonly.aof.1.base.aof seq 1 type b\n", Encoding.ASCII);
    }
}
