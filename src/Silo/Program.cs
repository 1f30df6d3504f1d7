using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansRedis.Abstractions.Hosting;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Hosting;
using OrleansRedis.Grains.Keys;
using OrleansRedis.Grains.Memory;
using OrleansRedis.Grains.Notifications;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Resp.Config;
using OrleansRedis.Resp.Connection;

// The embedded default: one silo on localhost clustering that also serves RESP on
// 127.0.0.1:6379, with its append-only file under ./data. Redis settings come as flags
// (--port 6380, --bind, --dir, --appendfsync always, …), from appsettings.json's "Redis"
// section, or from the environment (Redis__port=6380).
// `--check-aof PATH [--fix]` checks (and repairs) an AOF directory like redis-check-aof, then exits.
int check = Array.IndexOf(args, "--check-aof");
if (check >= 0 && check + 1 < args.Length)
{
    return AofChecker.Run(args[check + 1], args.Contains("--fix"), Console.Out);
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
ServerConfig config;
try
{
    config = ServerConfig.Create(builder.Configuration, new Dictionary<string, string> { ["appendonly"] = "yes" });
}
catch (Exception exception) when (StartupException.Within(exception) is { } reason)
{
    Console.Error.WriteLine($"OrleansRedis cannot start: {reason.Message}");
    return 1;
}

var aof = new AofSettings
{
    Enabled = config.Get("appendonly") == "yes",
    Fsync = AofSettings.ParseFsync(config.Get("appendfsync")),
    Dir = config.Dir,
    DirName = config.Get("appenddirname"),
    FileName = config.Get("appendfilename"),
    LoadTruncated = config.Get("aof-load-truncated") == "yes",
    AutoRewritePercentage = long.Parse(config.Get("auto-aof-rewrite-percentage"), System.Globalization.CultureInfo.InvariantCulture),
    AutoRewriteMinSize = long.Parse(config.Get("auto-aof-rewrite-min-size"), System.Globalization.CultureInfo.InvariantCulture),
    TestDelayPerRecord = TimeSpan.FromMilliseconds(double.TryParse(Environment.GetEnvironmentVariable("ORLEANSREDIS_TEST_AOF_DELAY_MS"), System.Globalization.CultureInfo.InvariantCulture, out double delay) ? delay : 0),
};
// The AOF reads appendfsync and auto-aof-rewrite-* at each use: CONFIG SET changes them at once
// through every node (INodeGrain.SetAofSetting); appendonly itself is read at start only.
// maxmemory and its policy: this node enforces its share; CONFIG SET sends changes to every node.
var memory = new MemorySettings { Limit = config.MemoryLimit };
config.Changed += (name, _) =>
{
    if (name.StartsWith("maxmemory", StringComparison.Ordinal))
    {
        memory.Limit = config.MemoryLimit;
    }
};
// Keyspace notifications are raised in the key grains: the node gets notify-keyspace-events too.
var notifications = new NotificationSettings { Flags = config.KeyspaceEvents };
config.Changed += (name, _) =>
{
    if (name == "notify-keyspace-events")
    {
        notifications.Flags = config.KeyspaceEvents;
    }
};
// So are the encoding thresholds (hash-max-listpack-*, set-max-intset-entries, zset-max-listpack-*).
var encodings = new EncodingSettings { Current = config.EncodingThresholds };
config.Changed += (name, _) =>
{
    if (ServerConfig.IsEncodingThreshold(name))
    {
        encodings.Current = config.EncodingThresholds;
    }
};
var progress = new LoadingProgress();
int siloPort = builder.Configuration.GetValue("silo-port", 11111);
int gatewayPort = builder.Configuration.GetValue("gateway-port", 30000);
var keyIdleTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("key-idle-seconds", 120));

// The node's stable name: slots are owned by name, so a restarted node keeps its slots and
// finds their keys in its own AOF. By default the name its data directory was last used
// with, else the machine and the silo port.
string nodeName = builder.Configuration["node-name"]
    ?? NodeTopology.SavedName(aof.Dir)
    ?? $"{Environment.MachineName}-{siloPort}";
var cluster = ClusterSettings.From(builder.Configuration);
builder.UseOrleans(silo =>
{
    if (cluster.Provider == ClusteringProvider.Postgres)
    {
        // --advertise: the address other silos and gateways reach this one at (a host name or an IP).
        string advertise = builder.Configuration["advertise"] ?? "127.0.0.1";
        var address = IPAddress.TryParse(advertise, out var ip)
            ? ip
            : Dns.GetHostAddresses(advertise).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        silo.UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterSettings.NpgsqlInvariant;
                options.ConnectionString = cluster.ConnectionString;
            })
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ClusterId))
            .ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
    }
    else
    {
        silo.UseLocalhostClustering(siloPort, gatewayPort);
    }

    // A crashed silo is declared dead after about 6 s of failed probes (Orleans' default is
    // about three times that), and a call that gets no answer fails after 5 s rather than 30:
    // its keys answer TRYAGAIN or CLUSTERDOWN soon, instead of holding clients.
    silo.Configure<SiloOptions>(options => options.SiloName = nodeName)
        .Configure<ClusterMembershipOptions>(options => options.ProbeTimeout = TimeSpan.FromSeconds(2))
        .Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5))
        .AddOrleansRedisGrains(aof, keyIdleTimeout);
    silo.Services.AddSingleton(memory);
    silo.Services.AddSingleton(notifications);
    silo.Services.AddSingleton(encodings);
    silo.Services.AddSingleton(progress);
});

// SIGTERM, Ctrl-C and SHUTDOWN write and fsync every queued AOF record before the process
// exits, however long that takes (the AOF logs its progress): no time limit on stopping.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = Timeout.InfiniteTimeSpan);

// Memory freed by a burst (a large value deleted, a client of huge replies gone) goes back to the system.
builder.Services.AddHostedService<OrleansRedis.Abstractions.Hosting.MemoryReclaimer>();

// --serve-resp no: a silo that only hosts grains, behind separate gateways.
bool serveResp = builder.Configuration.GetValue("serve-resp", "yes") != "no";
if (serveResp)
{
    builder.Services.AddRespServer("embedded", config);
}

// While starting, a failure is reported once, by the handler below (for a StartupException, its
// message alone); Orleans and the host would each log it again with its stack trace.
bool started = false;
string[] startSequence = ["Orleans.Runtime.SiloLifecycleSubject", "Orleans.Runtime.Silo", "Microsoft.Extensions.Hosting.Internal.Host"];
foreach (string category in startSequence)
{
    builder.Logging.AddFilter(category, level => level >= LogLevel.Warning && (started || level < LogLevel.Error));
}

// A start that fails stops Orleans half way, and its timers then log the disposed services.
builder.Logging.AddFilter("Orleans.Grain.InvokeException", level => level >= LogLevel.Warning && started);
try
{
    // One process per data directory and per port: refused here, before anything is read or bound.
    using var directoryLock = DataDirectoryLock.Acquire(aof.Dir);
    ListenerSockets.EnsureFree(siloPort, "silo");
    ListenerSockets.EnsureFree(gatewayPort, "Orleans gateway");
    var host = builder.Build();
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started = true);

    // The RESP port answers LOADING while the AOF loads, then the RESP server takes it over.
    await using var loading = serveResp ? LoadingListener.Start(config, progress) : null;
    if (loading is not null)
    {
        host.Services.GetRequiredService<RespServer>().TakeOverFrom(loading);
    }

    await host.RunAsync();
    return 0;
}
catch (OperationCanceledException) when (!started)
{
    // SIGTERM or Ctrl-C while starting (loading the AOF): nothing was served yet; a clean stop.
    Console.Error.WriteLine("OrleansRedis stopped while starting.");
    return 0;
}
catch (Exception exception) when (StartupException.Within(exception) is { } reason)
{
    Console.Error.WriteLine($"OrleansRedis cannot start: {reason.Message}");
    return 1;
}
