using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Resp.Connection;
using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Cluster;

/// <summary>
/// Nodes come and go on a three-silo test cluster: a joining silo takes its slots' keys while
/// a client keeps writing, and a removed node hands its keys over before it goes.
/// </summary>
public abstract class NodeChangeTestsBase : IAsyncLifetime
{
    private const string DataRootSetting = "OrleansRedisTests:DataRoot";
    private const string AofSetting = "OrleansRedisTests:Aof";
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "orleansredis-nodes-" + Guid.NewGuid().ToString("N"));
    private RespTestCluster _test = null!;

    /// <summary>Whether the silos write an AOF (without it, moved keys travel from grain to grain in memory).</summary>
    protected abstract bool Aof { get; }

    /// <summary>The test cluster.</summary>
    protected TestCluster Cluster => _test.Cluster;

    /// <summary>The RESP server in front of it.</summary>
    protected RespServer Server => _test.Server;

    public async Task InitializeAsync() =>
        _test = await RespTestCluster.Start<SiloConfigurator>(3, new Dictionary<string, string?>
        {
            [DataRootSetting] = _dataRoot,
            [AofSetting] = Aof ? "yes" : "no",
        });

    public async Task DisposeAsync()
    {
        await _test.DisposeAsync();
        if (Directory.Exists(_dataRoot))
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
    }

    [Fact]
    public async Task AJoiningSiloTakesItsSlotsKeysWhileWritesGoOn()
    {
        using var client = new RawClient(Server.Port);
        var expected = WriteKeys(client, "join", 300);

        // A writer keeps overwriting a few keys; what it was told OK is what must be there after.
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            using var writing = new RawClient(Server.Port);
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                string key = $"stream:{i % 40}";
                if (writing.Call("SET", key, i.ToString()) == "+OK\r\n")
                {
                    acknowledged[key] = i.ToString();
                }
            }
        });

        await Task.Delay(300);
        var joined = await Cluster.StartAdditionalSiloAsync();
        await Task.Delay(300);
        await stop.CancelAsync();
        await writer;

        Assert.NotEmpty(acknowledged);
        foreach (var (key, value) in expected.Concat(acknowledged))
        {
            Assert.Equal(Bulk(value), client.Call("GET", key));
        }

        // Four nodes now, the new one holding keys; every key sits on its owner under the new set.
        string list = client.Call("NODE", "LIST");
        Assert.Contains(joined.Name, list);
        Assert.Contains(":4\r\n", list.Split("$5\r\nepoch\r\n")[1][..6]);
        var names = Cluster.Silos.Select(s => s.Name).ToList();
        Assert.Equal(4, names.Count);
        Assert.NotEmpty(KeysHeldBy(joined));
        foreach (var silo in Cluster.Silos)
        {
            Assert.All(KeysHeldBy(silo), key => Assert.Equal(silo.Name, SlotOwnership.OwnerOfKey(key, names, n => n)));
        }

        Assert.Equal($":{300 + acknowledged.Count}\r\n", client.Call("DBSIZE"));
    }

    [Fact]
    public async Task ARemovedNodeHandsItsKeysOverBeforeItGoes()
    {
        using var client = new RawClient(Server.Port);
        var expected = WriteKeys(client, "remove", 300);
        var leaving = Cluster.SecondarySilos[1];
        Assert.NotEmpty(KeysHeldBy(leaving));

        Assert.Equal("+OK\r\n", client.Call("NODE", "REMOVE", leaving.Name));
        Assert.Empty(KeysHeldBy(leaving));
        await Cluster.StopSiloAsync(leaving);

        Assert.All(expected, pair => Assert.Equal(Bulk(pair.Value), client.Call("GET", pair.Key)));
        Assert.Equal(":300\r\n", client.Call("DBSIZE"));
        Assert.DoesNotContain(leaving.Name, client.Call("NODE", "LIST"));

        Assert.StartsWith("-ERR 'no-such-node' is not a node of the cluster", client.Call("NODE", "REMOVE", "no-such-node"));
        Assert.Equal("-ERR wrong number of arguments for 'node|remove' command\r\n", client.Call("NODE", "REMOVE"));
    }

    protected static string Bulk(string value) => $"${Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";

    // Strings, strings with a TTL and hashes (read back by GET as their first field's value is not possible, so hashes are checked with HGET).
    protected static Dictionary<string, string> WriteKeys(RawClient client, string prefix, int count)
    {
        var written = new Dictionary<string, string>();
        for (int i = 0; i < count; i++)
        {
            string key = $"{prefix}:{i}", value = $"value-{i}";
            Assert.Equal("+OK\r\n", i % 3 == 0 ? client.Call("SET", key, value, "EX", "100000") : client.Call("SET", key, value));
            written[key] = value;
        }

        return written;
    }

    protected static List<byte[]> KeysHeldBy(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<NodeKeyIndex>().LiveKeys(0, 0).Select(pair => pair.Key).ToList();

    protected static void AssertEventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            Thread.Sleep(200);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            string root = siloBuilder.Configuration[DataRootSetting]!;
            siloBuilder.AddOrleansRedisGrains(services => new AofSettings
            {
                Enabled = siloBuilder.Configuration[AofSetting] == "yes",
                Dir = Path.Combine(root, services.GetRequiredService<ILocalSiloDetails>().Name),
            });
        }
    }
}

/// <summary>With the AOF on (each silo its own data directory); and a killed silo comes back with its keys.</summary>
public sealed class NodeChangeTests : NodeChangeTestsBase
{
    /// <inheritdoc/>
    protected override bool Aof => true;

    [Fact]
    public async Task AKilledSiloComesBackWithEveryKeyItHad()
    {
        using var client = new RawClient(Server.Port);
        var expected = WriteKeys(client, "crash", 300);
        var victim = Cluster.SecondarySilos[0];
        Assert.NotEmpty(KeysHeldBy(victim));

        await Cluster.KillSiloAsync(victim);
        // Started by instance number, the restarted silo has the same name, hence the same data directory.
        var restarted = await Cluster.StartSiloAsync(victim.InstanceNumber, Cluster.Options);
        try
        {
            Assert.Equal(victim.Name, restarted.Name);
            AssertEventually(() => expected.All(pair => client.Call("GET", pair.Key) == Bulk(pair.Value)), "every key reads its value after the restart");
            Assert.Equal(":300\r\n", client.Call("DBSIZE"));
        }
        finally
        {
            await Cluster.StopSiloAsync(restarted);
        }
    }
}

/// <summary>Without an AOF: a join and a removal move the keys' values from grain to grain.</summary>
public sealed class NodeChangeWithoutAofTests : NodeChangeTestsBase
{
    /// <inheritdoc/>
    protected override bool Aof => false;
}
