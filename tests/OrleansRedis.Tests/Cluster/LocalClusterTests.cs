using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Cluster;

/// <summary>
/// The local-process cluster (scripts/cluster.sh: PostgreSQL membership, three silos, two
/// gateways) under a stream of writes while a silo is killed with kill -9 and restarted and a
/// fourth silo joins: afterwards every acknowledged key has its value.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class LocalClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryAcknowledgedWriteSurvivesACrashAndAJoin()
    {
        await using var cluster = await LocalCluster.Start(silos: 3, siloArgs: "--appendfsync always");
        var acknowledged = new List<(string Key, string Value)>();
        int refused = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            using var client = new RawClient(cluster.GatewayPort);
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string key = $"stream:{i}", value = $"value-{i}";
                string reply = client.Call("SET", key, value);
                if (reply == "+OK\r\n")
                {
                    acknowledged.Add((key, value));
                }
                else
                {
                    // Only Redis-style errors a client can retry: never a dropped connection or garbage.
                    Assert.Matches(@"^-(TRYAGAIN|CLUSTERDOWN) ", reply);
                    refused++;
                }
            }
        });

        await Task.Delay(2000);
        await cluster.Script("kill", "2");
        await Task.Delay(2000);
        await cluster.Script("silo", "2");
        await Task.Delay(2000);
        await cluster.Script("silo", "4");
        await Task.Delay(2000);
        await stop.CancelAsync();
        await writer;

        Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} writes were acknowledged ({refused} refused)");
        using var reader = new RawClient(cluster.GatewayPort + 1);
        var lost = new List<string>();
        foreach (var chunk in acknowledged.Chunk(200))
        {
            string reply = reader.Call(["MGET", .. chunk.Select(pair => pair.Key)]);
            string expected = $"*{chunk.Length}\r\n" + string.Concat(chunk.Select(pair => $"${Encoding.UTF8.GetByteCount(pair.Value)}\r\n{pair.Value}\r\n"));
            if (reply != expected)
            {
                lost.AddRange(chunk.Where(pair => reader.Call("GET", pair.Key) != $"${pair.Value.Length}\r\n{pair.Value}\r\n").Select(pair => pair.Key));
            }
        }

        output.WriteLine($"{acknowledged.Count} writes acknowledged, {refused} refused with TRYAGAIN/CLUSTERDOWN, {lost.Count} lost");
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged keys lost or wrong: {string.Join(", ", lost.Take(10))}\n{cluster.Logs()}");

        // The fourth node took its share: four nodes in the set, each serving keys.
        string nodes = reader.Call("INFO", "nodes");
        Assert.Contains("node_set_pending_epoch:0", nodes);
        Assert.Equal(4, nodes.Split("\r\n").Count(line => line.StartsWith("node") && line.Contains("state=up") && !line.Contains("keys=0")));
    }
}
