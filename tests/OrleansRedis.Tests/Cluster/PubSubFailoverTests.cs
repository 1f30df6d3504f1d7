using Orleans.TestingHost;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Cluster;

/// <summary>
/// Pub/sub through failures: a fresh activation of the pub/sub grain (what the death of its
/// silo leads to) and the death of a node that plays no part in the channel. PUBLISH never
/// answers 0 to a channel with a subscriber, and every message it reports delivered arrives.
/// </summary>
public sealed class PubSubFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RespTestCluster _test = null!;

    public async Task InitializeAsync() => _test = await RespTestCluster.Start<SiloConfigurator>(3);

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task PublishKeepsDeliveringWhenThePubSubGrainIsActivatedAfreshAndWhenANodeDies()
    {
        using var subscriber = new RawClient(_test.Port);
        subscriber.Call("SUBSCRIBE", "news");
        using var publisher = new RawClient(_test.Port);
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "news", "before"));
        Assert.Contains("before", subscriber.ReadReply());

        // A new activation knows no listener (as after the death of the silo that held it):
        // it waits for the servers' next registration rather than answer 0 and drop the message.
        var management = _test.Cluster.Client.GetGrain<IManagementGrain>(0);
        var pubsub = _test.Cluster.Client.GetGrain<IPubSubGrain>(0);
        await management.DeactivateGrain(((GrainReference)pubsub).GrainId);
        await Task.Delay(200);
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "news", "fresh"));
        Assert.Contains("fresh", subscriber.ReadReply());

        // A node that plays no part in the channel dies: publishing goes on, never answering 0.
        await _test.Cluster.KillSiloAsync(_test.Cluster.SecondarySilos[0]);
        var replies = new List<string>();
        var delivered = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            string message = $"after-{i}";
            string reply = publisher.Call("PUBLISH", "news", message);
            replies.Add(reply.TrimEnd());
            Assert.NotEqual(":0\r\n", reply);
            if (reply == ":1\r\n")
            {
                delivered.Add(message);
            }

            await Task.Delay(100);
        }

        output.WriteLine(string.Join(", ", replies.GroupBy(r => r).Select(g => $"{g.Key} x{g.Count()}")));
        Assert.NotEmpty(delivered);
        foreach (var message in delivered)
        {
            Assert.Contains(message, subscriber.ReadReply());
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansRedisGrains();
    }
}
