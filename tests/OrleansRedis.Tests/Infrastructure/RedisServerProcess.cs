using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// A real redis-server (Debian's package, installed by the project's scripts) on a free
/// loopback port, without persistence: the reference that compatibility tests compare with.
/// </summary>
public sealed class RedisServerProcess(IEnumerable<string>? settings = null) : IAsyncLifetime, IAsyncDisposable
{
    private readonly string[] _settings = [.. settings ?? ["--save", "", "--appendonly", "no", "--dir", Path.GetTempPath()]];
    private Process? _process;

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Port = FreePort();
        var start = new ProcessStartInfo(ExternalTools.RedisServer)
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var setting in _settings)
        {
            start.ArgumentList.Add(setting);
        }

        _process = Process.Start(start);

        // Up to 20 s: a restarted redis-server answers -LOADING while it reads its AOF.
        for (int attempt = 0; attempt < 400; attempt++)
        {
            try
            {
                using var client = new RawClient(Port);
                if (client.Call("PING") == "+PONG\r\n")
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("redis-server did not start");
    }

    /// <inheritdoc/>
    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        // Below Linux's ephemeral range (32768 and up, where every client connection takes its
        // local port: one could sit on a killed server's port as it restarts) and below the
        // local cluster's 20000-29000; never the same port twice in one run, so no test gets a
        // port whose server another test stopped and is about to start again.
        lock (Handed)
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                int port = Random.Shared.Next(10000, 20000);
                if (Handed.Add(port) && IsFree(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free port.");
    }

    private static readonly HashSet<int> Handed = [];

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
