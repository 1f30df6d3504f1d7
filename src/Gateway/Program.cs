using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using OrleansRedis.Resp.Connection;

// A standalone RESP gateway: an Orleans client in front of running silos, serving the same
// commands with the same replies. With localhost clustering --gateway-port names the silo
// gateway to connect to; with --clustering postgres the membership table lists them.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
int gatewayPort = builder.Configuration.GetValue("gateway-port", 30000);
var cluster = ClusterSettings.From(builder.Configuration);
builder.UseOrleansClient(client =>
{
    if (cluster.Provider == ClusteringProvider.Postgres)
    {
        client.UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterSettings.NpgsqlInvariant;
                options.ConnectionString = cluster.ConnectionString;
            })
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
    }
    else
    {
        client.UseLocalhostClustering(gatewayPort);
    }

    // A call through a silo that crashed fails after 5 s (TRYAGAIN), not Orleans' default 30.
    client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
});
builder.Services.AddRespServer("gateway");

// Memory freed by a burst (a large value deleted, a client of huge replies gone) goes back to the system.
builder.Services.AddHostedService<OrleansRedis.Abstractions.Hosting.MemoryReclaimer>();
try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception exception) when (OrleansRedis.Abstractions.Hosting.StartupException.Within(exception) is { } reason)
{
    // A port in use: the message alone, exit code 1 (as the silo, and as Redis).
    Console.Error.WriteLine($"OrleansRedis gateway cannot start: {reason.Message}");
    return 1;
}
