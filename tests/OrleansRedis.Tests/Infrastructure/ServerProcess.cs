using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// A built server as a child process, the way a user runs it: the embedded silo (src/Silo) on
/// free ports and a data directory of its own, or a gateway (src/Gateway) in front of one.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly List<string> CreatedDirectories = [];
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private ServerProcess(Process process, int port, int gatewayPort, int siloPort, string dir, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        Port = port;
        GatewayPort = gatewayPort;
        SiloPort = siloPort;
        Dir = dir;
        _output = output;
    }

    /// <summary>The silo's Orleans gateway port (what a gateway process connects to).</summary>
    public int GatewayPort { get; }

    /// <summary>The silo's Orleans silo-to-silo port (0 for a gateway process).</summary>
    public int SiloPort { get; }

    /// <summary>The data directory.</summary>
    public string Dir { get; }

    /// <summary>What the process printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The RESP port.</summary>
    public int Port { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the silo on a new data directory and waits until it answers PING.</summary>
    public static Task<ServerProcess> Start(params string[] extraArgs) => StartOn(NewDataDirectory(), extraArgs);

    /// <summary>
    /// A new, empty data directory under the temporary folder. Tests may restart a server on it
    /// after stopping the first, so it is removed when the test run ends, not with the process.
    /// </summary>
    public static string NewDataDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"orleansredis-{Guid.NewGuid():N}");
        lock (CreatedDirectories)
        {
            if (CreatedDirectories.Count == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveCreatedDirectories();
                _ = Task.Run(RemoveLeftoversOfEarlierRuns);
            }

            CreatedDirectories.Add(dir);
        }

        return dir;
    }

    // A run that was stopped (or whose exit outran its clean-up) leaves its directories: those
    // over a day old go at the next run's start (a day, so another run's in use is never touched).
    private static void RemoveLeftoversOfEarlierRuns()
    {
        foreach (string dir in Directory.EnumerateDirectories(Path.GetTempPath(), "orleansredis-*"))
        {
            if (Path.GetFileName(dir).Length == "orleansredis-".Length + 32 && Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddDays(-1))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Someone else's, or in use: left alone.
                }
            }
        }
    }

    private static void RemoveCreatedDirectories()
    {
        lock (CreatedDirectories)
        {
            foreach (string dir in CreatedDirectories.Where(Directory.Exists))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // A server still writing to it; the next run's start takes it (RemoveLeftoversOfEarlierRuns).
                }
            }
        }
    }

    /// <summary>Starts the silo on <paramref name="dir"/> and waits until it answers PING (or ends).</summary>
    public static Task<ServerProcess> StartOn(string dir, params string[] extraArgs) => WhenAnswering(Launch(dir, extraArgs));

    /// <summary>Starts a gateway in front of the silo whose Orleans gateway port is <paramref name="siloGatewayPort"/>, without waiting for it.</summary>
    public static ServerProcess LaunchGateway(int siloGatewayPort, params string[] extraArgs) =>
        Launch("Gateway", "", RedisServerProcess.FreePort(), siloGatewayPort, 0, extraArgs);

    /// <summary>Starts a gateway (src/Gateway) in front of the silo whose Orleans gateway port is <paramref name="siloGatewayPort"/>.</summary>
    public static Task<ServerProcess> StartGateway(int siloGatewayPort) =>
        WhenAnswering(Launch("Gateway", "", RedisServerProcess.FreePort(), siloGatewayPort, 0, []));

    private static async Task<ServerProcess> WhenAnswering(ServerProcess silo)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !silo.HasExited)
        {
            try
            {
                using var client = new RawClient(silo.Port);
                if (client.Call("PING") == "+PONG\r\n")
                {
                    return silo;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                await Task.Delay(200);
            }
        }

        string output = silo.Output;
        await silo.DisposeAsync();
        throw new InvalidOperationException($"The silo did not start answering PING:\n{output}");
    }

    /// <summary>Starts the silo on <paramref name="dir"/> without waiting for it.</summary>
    public static ServerProcess Launch(string dir, params string[] extraArgs) => LaunchWithEnvironment(dir, new Dictionary<string, string>(), extraArgs);

    /// <summary>Starts the silo on <paramref name="dir"/> with extra environment variables (fault injection), and waits until it answers PING.</summary>
    public static Task<ServerProcess> StartWithEnvironment(string dir, IReadOnlyDictionary<string, string> environment, params string[] extraArgs) =>
        WhenAnswering(LaunchWithEnvironment(dir, environment, extraArgs));

    private static ServerProcess LaunchWithEnvironment(string dir, IReadOnlyDictionary<string, string> environment, string[] extraArgs)
    {
        int gatewayPort = RedisServerProcess.FreePort(), siloPort = RedisServerProcess.FreePort();
        return Launch("Silo", dir, RedisServerProcess.FreePort(), gatewayPort, siloPort,
            ["--silo-port", siloPort.ToString(), "--dir", dir, .. extraArgs], environment);
    }

    private static ServerProcess Launch(string project, string dir, int port, int gatewayPort, int siloPort, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Assembly(project), "--port", port.ToString(), "--gateway-port", gatewayPort.ToString() }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, port, gatewayPort, siloPort, dir, output);
    }

    /// <summary>Runs the silo's AOF check (<c>--check-aof</c>, with <c>--fix</c> when asked) and returns its exit code and report.</summary>
    public static Task<(int ExitCode, string Output)> Check(string aofDir, bool fix) =>
        ExternalTools.Run("dotnet", [Assembly("Silo"), "--check-aof", aofDir, .. fix ? new[] { "--fix" } : []]);

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // The project's build output, next to this test assembly's in the same configuration.
    private static string Assembly(string project)
    {
        string testDirectory = AppContext.BaseDirectory;
        string configuration = new DirectoryInfo(testDirectory).Parent!.Name;
        string root = Path.GetFullPath(Path.Combine(testDirectory, "..", "..", "..", "..", ".."));
        string path = Path.Combine(root, "src", project, "bin", configuration, "net10.0", $"OrleansRedis.{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first (dotnet build OrleansRedis.sln).", path);
    }
}
