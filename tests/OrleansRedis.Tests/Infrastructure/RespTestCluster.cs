using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Resp.Config;
using OrleansRedis.Resp.Connection;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// An Orleans test cluster of its own (TestingHost, in process) with a RESP server in front of
/// it through the cluster client, for tests that stop, add or configure silos.
/// </summary>
public sealed class RespTestCluster : IAsyncDisposable
{
    private RespTestCluster(TestCluster cluster, RespServer server)
    {
        Cluster = cluster;
        Server = server;
    }

    /// <summary>The test cluster.</summary>
    public TestCluster Cluster { get; }

    /// <summary>The RESP server in front of it.</summary>
    public RespServer Server { get; }

    /// <summary>The RESP server's port.</summary>
    public int Port => Server.Port;

    /// <summary>
    /// Deploys <paramref name="silos"/> silos configured by <typeparamref name="TConfigurator"/>
    /// (which can read <paramref name="settings"/> from the silo builder's configuration). With
    /// <paramref name="embedded"/>, the RESP server runs as the first silo embeds it, rather than as a gateway.
    /// </summary>
    public static async Task<RespTestCluster> Start<TConfigurator>(int silos, IReadOnlyDictionary<string, string?>? settings = null, bool embedded = false)
        where TConfigurator : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder((short)silos);
        if (settings is not null)
        {
            builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
        }

        builder.AddSiloBuilderConfigurator<TConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var server = embedded
            ? EmbeddedIn((InProcessSiloHandle)cluster.Primary!)
            : new RespServer(cluster.Client, ServerConfig.Create(overrides: new Dictionary<string, string> { ["port"] = "0" }), "gateway", NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return new RespTestCluster(cluster, server);
    }

    // A RESP server as a silo embeds it: the silo's own grain factory and its answers for missing keys.
    private static RespServer EmbeddedIn(InProcessSiloHandle silo)
    {
        var services = silo.SiloHost.Services;
        return new RespServer(
            services.GetRequiredService<IGrainFactory>(),
            ServerConfig.Create(overrides: new Dictionary<string, string> { ["port"] = "0" }),
            "embedded",
            NullLoggerFactory.Instance,
            services.GetRequiredService<IIdleKeyCommands>());
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
