using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansRedis.Resp.Connection;

// A standalone RESP gateway: an Orleans client in front of running silos, serving the same
// commands with the same replies. --gateway-port names the silo gateway to connect to.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
int gatewayPort = builder.Configuration.GetValue("gateway-port", 30000);
builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
builder.Services.AddRespServer("gateway");
await builder.Build().RunAsync();
