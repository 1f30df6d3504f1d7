using System.Net;
using System.Net.Sockets;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// The local-process cluster of <c>scripts/cluster.sh</c> (PostgreSQL membership, silos,
/// gateways), on free loopback ports and a temporary directory, driven through the script as
/// a user would drive it.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orleansredis-cluster-" + Guid.NewGuid().ToString("N"));

    private LocalCluster(string siloArgs)
    {
        int gateways = FreeRange(2), silos = FreeRange(8), orleansGateways = FreeRange(8), postgres = FreeRange(1);
        GatewayPort = gateways;
        _environment = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = _dir,
            ["GATEWAY_PORT"] = gateways.ToString(),
            ["SILO_PORT"] = silos.ToString(),
            ["ORLEANS_GATEWAY_PORT"] = orleansGateways.ToString(),
            ["POSTGRES_PORT"] = postgres.ToString(),
            ["CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name,
            ["SILO_ARGS"] = siloArgs,
        };
    }

    /// <summary>The first gateway's RESP port (the second one is the next port).</summary>
    public int GatewayPort { get; }

    /// <summary>Starts PostgreSQL, <paramref name="silos"/> silos and two gateways.</summary>
    public static async Task<LocalCluster> Start(int silos, string siloArgs = "")
    {
        var cluster = new LocalCluster(siloArgs);
        try
        {
            await cluster.Script("start", silos.ToString(), "2");
            return cluster;
        }
        catch
        {
            // Whatever did start (PostgreSQL, some silos) is stopped before the failure is told.
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>scripts/cluster.sh</c> with these arguments; fails with its output (and the logs) if it fails.</summary>
    public async Task<string> Script(params string[] args)
    {
        var (exitCode, output) = await ExternalTools.Run("bash", [Path.Combine(RepositoryRoot, "scripts", "cluster.sh"), .. args], timeout: TimeSpan.FromMinutes(5), environment: _environment);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} failed ({exitCode}):\n{output}\n{Logs()}");
        }

        return output;
    }

    /// <summary>The tail of every process's log.</summary>
    public string Logs() => string.Join("\n", Directory.Exists(_dir)
        ? Directory.GetFiles(_dir, "*.log").Select(f => $"== {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(30))}")
        : []);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Script("stop");
        }
        finally
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
    }

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    // The first of `count` consecutive free loopback ports, below Linux's ephemeral range
    // (32768 and up) and Orleans' default 30000, where the other tests' ports come from: a port of this cluster's
    // stopped silo must not be handed to another test before the silo comes back.
    private static int FreeRange(int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int first = Random.Shared.Next(20000, 29000 - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException("No free port range.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
