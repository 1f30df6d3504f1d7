using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Resp.Config;

namespace OrleansRedis.Resp.Connection;

/// <summary>Registers the RESP server in a .NET host (a silo's or a gateway's).</summary>
public static class RespServerHosting
{
    /// <summary>
    /// Adds the RESP server as a hosted service. Register it after Orleans, so that it starts
    /// once the silo (or the cluster client) is ready. <paramref name="mode"/> is what INFO
    /// reports: "embedded" or "gateway".
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="mode">"embedded" or "gateway".</param>
    /// <param name="config">The configuration to serve; by default read from the host's configuration.</param>
    public static IServiceCollection AddRespServer(this IServiceCollection services, string mode, ServerConfig? config = null)
    {
        services.AddSingleton(sp => config ?? ServerConfig.Create(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var server = new RespServer(
                sp.GetRequiredService<IGrainFactory>(),
                sp.GetRequiredService<ServerConfig>(),
                mode,
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetService<IIdleKeyCommands>());

            // SHUTDOWN stops the whole process the way SIGTERM does (the AOF is flushed on the way out).
            server.Context.StopProcess = sp.GetRequiredService<IHostApplicationLifetime>().StopApplication;
            return server;
        });
        services.AddHostedService(sp => sp.GetRequiredService<RespServer>());
        return services;
    }
}
