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

    private SiloProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The RESP port.</summary>
    public int Port { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the silo and waits until it answers PING.</summary>
    public static async Task<SiloProcess> Start(params string[] extraArgs)
    {
        int port = RedisServerProcess.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { SiloAssembly(), "--port", port.ToString(), "--silo-port", RedisServerProcess.FreePort().ToString(), "--gateway-port", RedisServerProcess.FreePort().ToString(), "--dir", Path.Combine(Path.GetTempPath(), $"orleansredis-{Guid.NewGuid():N}") }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new RawClient(port);
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

        await silo.DisposeAsync();
        throw new InvalidOperationException("The silo did not start answering PING.");
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
