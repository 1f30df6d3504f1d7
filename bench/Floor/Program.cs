using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansRedis.Bench.Floor;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Grains.Persistence;

// The floor under every command: what one trivial Orleans grain call costs in a silo set up as
// ours is (src/Grains' AddOrleansRedisGrains, the silo's GC settings), called from inside the
// silo's process as the embedded RESP server calls key grains, or through an Orleans client from
// another process as a gateway does. bench/run.sh and bench/cluster.sh divide our CPU time per
// command by it.
//
//   floor cohosted PIPELINE [CALLS]   one line: floor,cohosted,PIPELINE,CALLS,calls/s,silo CPU µs/call,0
//   floor client PIPELINE [CALLS]     one line: floor,client,PIPELINE,CALLS,calls/s,silo CPU µs/call,client CPU µs/call
//   floor silo SILO-PORT GATEWAY-PORT (what "client" starts in a second process)
const int Connections = 50;
const int Grains = 10_000;
string mode = args.ElementAtOrDefault(0) ?? "cohosted";
int siloPort = Environment.GetEnvironmentVariable("FLOOR_SILO_PORT") is { } s ? int.Parse(s) : 11611;
int gatewayPort = Environment.GetEnvironmentVariable("FLOOR_GATEWAY_PORT") is { } g ? int.Parse(g) : 30611;

switch (mode)
{
    case "silo":
        await RunSilo(int.Parse(args[1]), int.Parse(args[2]));
        return 0;
    case "cohosted":
        {
            var load = Load(args);
            using var host = Silo(siloPort, gatewayPort);
            await host.StartAsync();
            var factory = host.Services.GetRequiredService<IGrainFactory>();
            await CallLoad.Warm(factory, Grains);
            await (load with { Calls = load.Calls / 2 }).Run(factory); // JIT tiers and thread pool warm-up
            double cpu0 = ProcessCpu.Microseconds(Environment.ProcessId);
            var took = await load.Run(factory);
            double cpu = ProcessCpu.Microseconds(Environment.ProcessId) - cpu0;
            Report("cohosted", load, took, cpu, 0);
            await host.StopAsync();
            return 0;
        }
    case "client":
        {
            var load = Load(args);
            using var silo = StartSiloProcess(siloPort, gatewayPort);
            try
            {
                using var host = Host.CreateDefaultBuilder()
                    .UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort))
                    .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                    .Build();
                await host.StartAsync();
                var factory = host.Services.GetRequiredService<IGrainFactory>();
                await CallLoad.Warm(factory, Grains);
                await (load with { Calls = load.Calls / 2 }).Run(factory);
                double silo0 = ProcessCpu.Microseconds(silo.Id), client0 = ProcessCpu.Microseconds(Environment.ProcessId);
                var took = await load.Run(factory);
                double siloCpu = ProcessCpu.Microseconds(silo.Id) - silo0, clientCpu = ProcessCpu.Microseconds(Environment.ProcessId) - client0;
                Report("client", load, took, siloCpu, clientCpu);
                await host.StopAsync();
            }
            finally
            {
                silo.Kill();
                await silo.WaitForExitAsync();
            }

            return 0;
        }
    default:
        Console.Error.WriteLine("usage: floor cohosted|client PIPELINE [CALLS] | floor silo SILO-PORT GATEWAY-PORT");
        return 2;
}

static CallLoad Load(string[] args) =>
    new(Connections, int.Parse(args.ElementAtOrDefault(1) ?? "16"), Grains, long.Parse(args.ElementAtOrDefault(2) ?? "400000"));

static void Report(string mode, CallLoad load, TimeSpan took, double serverCpu, double clientCpu) =>
    Console.WriteLine(FormattableString.Invariant(
        $"floor,{mode},{load.Pipeline},{load.Calls},{load.Calls / took.TotalSeconds:F0},{serverCpu / load.Calls:F2},{clientCpu / load.Calls:F2}"));

// A silo as src/Silo sets one up for grains (no AOF: the floor is the call, not the disk).
static IHost Silo(int siloPort, int gatewayPort)
{
    string dir = Directory.CreateTempSubdirectory("orleansredis-floor-").FullName;
    return Host.CreateDefaultBuilder()
        .UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .Configure<Orleans.Configuration.SiloOptions>(options => options.SiloName = $"floor-{siloPort}")
            .AddOrleansRedisGrains(new AofSettings { Enabled = false, Dir = dir }))
        .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
        .Build();
}

static async Task RunSilo(int siloPort, int gatewayPort)
{
    using var host = Silo(siloPort, gatewayPort);
    await host.StartAsync();
    Console.WriteLine("ready");
    await host.WaitForShutdownAsync();
}

static Process StartSiloProcess(int siloPort, int gatewayPort)
{
    string self = typeof(FloorGrain).Assembly.Location;
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
    foreach (string arg in new[] { self, "silo", siloPort.ToString(), gatewayPort.ToString() })
    {
        start.ArgumentList.Add(arg);
    }

    var process = Process.Start(start) ?? throw new InvalidOperationException("the silo did not start");
    while (process.StandardOutput.ReadLine() is { } line && line != "ready")
    {
    }

    return process;
}
