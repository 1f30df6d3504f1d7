using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Resp.Connection;

// The embedded default: one silo on localhost clustering that also serves RESP on
// 127.0.0.1:6379. Redis settings come as flags (--port 6380, --bind, --dir, --requirepass, …),
// from appsettings.json's "Redis" section, or from the environment (Redis__port=6380).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
int siloPort = builder.Configuration.GetValue("silo-port", 11111);
int gatewayPort = builder.Configuration.GetValue("gateway-port", 30000);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort, gatewayPort)
    .AddOrleansRedisGrains());
builder.Services.AddRespServer("embedded");
await builder.Build().RunAsync();
