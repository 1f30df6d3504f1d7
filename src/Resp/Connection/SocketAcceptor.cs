using System.Net.Sockets;

namespace OrleansRedis.Resp.Connection;

/// <summary>Accepts connections on a listening socket until stopped, handing each to a callback (the RESP server, and the listener that answers LOADING before it).</summary>
internal static class SocketAcceptor
{
    /// <summary>Accepts until <paramref name="stop"/> is cancelled; a failed accept (a client gone before it was taken) is skipped.</summary>
    public static async Task Run(Socket listener, CancellationToken stop, Action<Socket> accepted)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            accepted(socket);
        }
    }
}
