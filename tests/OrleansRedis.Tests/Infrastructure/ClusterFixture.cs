using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Resp.Config;
using OrleansRedis.Resp.Connection;
using Xunit;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// A real Orleans test cluster of three silos, with a RESP server in front of it (gateway
/// mode, through the cluster client) listening on a free loopback port.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Number of silos in the test cluster.</summary>
    public const int Silos = 3;

    private readonly List<RespServer> _servers = [];

    /// <summary>The test cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The RESP server most tests talk to.</summary>
    public RespServer Server { get; private set; } = null!;

    /// <summary>The RESP server's port.</summary>
    public int Port => Server.Port;

    /// <summary>A real redis-server to compare with.</summary>
    public RedisServerProcess Redis { get; } = new();

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(Silos);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Server = await StartServer();
        await Redis.InitializeAsync();
    }

    /// <summary>Starts another RESP server in front of the same cluster (a second gateway).</summary>
    public async Task<RespServer> StartServer(IReadOnlyDictionary<string, string>? settings = null)
    {
        var overrides = new Dictionary<string, string> { ["port"] = "0", ["bind"] = "127.0.0.1" };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            overrides[name] = value;
        }

        var server = new RespServer(Cluster.Client, ServerConfig.Create(overrides: overrides), "gateway", NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        _servers.Add(server);
        return server;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOrleansRedisGrains();
    }
}

/// <summary>Tests that share one cluster.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cluster";
}
