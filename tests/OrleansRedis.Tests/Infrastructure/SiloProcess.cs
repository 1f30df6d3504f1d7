using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// The built embedded server (src/Silo) as a child process, the way a user runs it, on free
/// ports and a data directory of its own.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private SiloProcess(Process process, int port, string dir, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        Port = port;
        Dir = dir;
        _output = output;
    }

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
    public static Task<SiloProcess> Start(params string[] extraArgs) =>
        StartOn(Path.Combine(Path.GetTempPath(), $"orleansredis-{Guid.NewGuid():N}"), extraArgs);

    /// <summary>Starts the silo on <paramref name="dir"/> and waits until it answers PING (or ends).</summary>
    public static async Task<SiloProcess> StartOn(string dir, params string[] extraArgs)
    {
        var silo = Launch(dir, extraArgs);
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
    public static SiloProcess Launch(string dir, params string[] extraArgs)
    {
        int port = RedisServerProcess.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { SiloAssembly(), "--port", port.ToString(), "--silo-port", RedisServerProcess.FreePort().ToString(), "--gateway-port", RedisServerProcess.FreePort().ToString(), "--dir", dir }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, port, dir, output);
    }

    /// <summary>Runs the silo's AOF check (<c>--check-aof</c>, with <c>--fix</c> when asked) and returns its exit code and report.</summary>
    public static Task<(int ExitCode, string Output)> Check(string aofDir, bool fix) =>
        ExternalTools.Run("dotnet", [SiloAssembly(), "--check-aof", aofDir, .. fix ? new[] { "--fix" } : []]);

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

    // The silo's build output, next to this test assembly's in the same configuration.
    private static string SiloAssembly()
    {
        string testDirectory = AppContext.BaseDirectory;
        string configuration = new DirectoryInfo(testDirectory).Parent!.Name;
        string root = Path.GetFullPath(Path.Combine(testDirectory, "..", "..", "..", "..", ".."));
        string path = Path.Combine(root, "src", "Silo", "bin", configuration, "net10.0", "OrleansRedis.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first (dotnet build OrleansRedis.sln).", path);
    }
}
