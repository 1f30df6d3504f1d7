using System.Net;
using System.Net.Sockets;

namespace OrleansRedis.Abstractions.Hosting;

/// <summary>
/// How listening sockets are made so that one port is served by one process: on Linux, .NET's
/// <c>ReuseAddress</c> option sets SO_REUSEPORT as well, which lets a second process bind the
/// same port and share its connections. These helpers set SO_REUSEADDR alone (as Redis does,
/// so a restart is not refused for connections in TIME_WAIT) and check that a port is free.
/// </summary>
public static class ListenerSockets
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>Lets a restarted server bind its port while old connections linger in TIME_WAIT, and nothing more.</summary>
    public static void AllowRestartOnSamePort(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsWindows())
        {
            socket.ExclusiveAddressUse = true;
        }
    }

    /// <summary>
    /// Throws <see cref="StartupException"/> naming the port when something listens on it
    /// (a socket bound without SO_REUSEPORT cannot join one bound with it, so this also catches
    /// a listener that would share the port).
    /// </summary>
    public static void EnsureFree(int port, string what)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        AllowRestartOnSamePort(probe);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Any, port));
            probe.Listen(1);
        }
        catch (SocketException exception)
        {
            throw new StartupException($"Could not listen on the {what} port {port}: {exception.Message}", exception);
        }
    }
}
