using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Hosting;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Config;
using OrleansRedis.Resp.PubSub;

namespace OrleansRedis.Resp.Connection;

/// <summary>
/// The RESP server: listens on the configured addresses and port, serves each connection,
/// and keeps this server's pub/sub listener registered with the cluster. The same server
/// runs embedded in a silo and standalone in a gateway; only its <see cref="IGrainFactory"/> differs.
/// </summary>
public sealed class RespServer : IHostedService, IAsyncDisposable
{
    // Often: a pub/sub grain activated anew (its silo died) learns its listeners from these refreshes.
    private static readonly TimeSpan ListenerRefresh = TimeSpan.FromSeconds(1);

    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly PubSubListener _pubSubListener;
    private IPubSubListener? _pubSubReference;
    private LoadingListener? _loading;

    /// <summary>
    /// Creates a server that reaches grains through <paramref name="grains"/>; in a silo,
    /// <paramref name="idleKeys"/> runs commands on keys whose grains are not active.
    /// </summary>
    public RespServer(IGrainFactory grains, ServerConfig config, string mode, ILoggerFactory loggerFactory, IIdleKeyCommands? idleKeys = null)
    {
        Context = new ServerContext(grains, config, mode, loggerFactory, idleKeys);
        _pubSubListener = new PubSubListener(Context.Subscriptions);
    }

    /// <summary>The server's shared state.</summary>
    public ServerContext Context { get; }

    /// <summary>The port the server listens on (useful when configured as 0).</summary>
    public int Port => Context.BoundPort;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _listeners.AddRange(_loading is not null ? await _loading.HandOver() : Bind(Context.Config));
        foreach (var socket in _listeners)
        {
            Context.BoundPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
            Context.Logger.LogListening(Context.Mode, socket.LocalEndPoint!.ToString()!);
        }

        _pubSubReference = Context.Grains.CreateObjectReference<IPubSubListener>(_pubSubListener);
        await RegisterPubSubListener();
        _running.Add(RefreshPubSubListener());
        _running.Add(CloseIdleClients());
        _running.Add(Context.Blocked.CheckWaits(wait => Blocking.BlockingPop.Check(wait, Context.Grains), _stopping.Token));
        _running.Add(SampleOps());
        foreach (var listener in _listeners)
        {
            _running.Add(AcceptLoop(listener));
        }
    }

    /// <summary>
    /// Binds and listens on the configured addresses and port (Redis's <c>bind</c>; an address
    /// starting with '-' may be missing). Throws <see cref="StartupException"/> when a port is taken.
    /// </summary>
    public static List<Socket> Bind(ServerConfig config)
    {
        var sockets = new List<Socket>();
        int port = config.Port;
        foreach (var bind in config.BindAddresses)
        {
            bool optional = bind.StartsWith('-');
            var address = bind.TrimStart('-') switch
            {
                "*" => IPAddress.Any,
                "::*" => IPAddress.IPv6Any,
                var text => IPAddress.Parse(text),
            };
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                ListenerSockets.AllowRestartOnSamePort(socket);
                if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(511);
            }
            catch (SocketException) when (optional)
            {
                socket.Dispose();
                continue;
            }
            catch (SocketException exception)
            {
                // Redis's words: `Could not create server TCP listening socket *:6379: bind: Address already in use`.
                socket.Dispose();
                foreach (var bound in sockets)
                {
                    bound.Dispose();
                }

                throw new StartupException($"Could not create server TCP listening socket {bind.TrimStart('-')}:{port}: bind: {exception.Message}", exception);
            }

            // Port 0: every address gets the port the first one was given.
            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            sockets.Add(socket);
        }

        return sockets;
    }

    /// <summary>At start, takes over the sockets <paramref name="loading"/> answered LOADING on instead of binding its own.</summary>
    public void TakeOverFrom(LoadingListener loading) => _loading = loading;

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        foreach (var client in Context.Clients.All.ToList())
        {
            client.Close();
        }

        if (_pubSubReference is not null)
        {
            try
            {
                await Context.Grains.GetGrain<IPubSubGrain>(0).Unregister(_pubSubReference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception)
            {
                // The cluster may already be gone; the lease expires on its own.
            }
        }

        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private static readonly byte[] MaxClientsReached = Encoding.ASCII.GetBytes("-ERR max number of clients reached\r\n");
    private static readonly byte[] ProtectedModeDenied = Encoding.ASCII.GetBytes($"-{Errors.ProtectedMode.Message}\r\n");

    private Task AcceptLoop(Socket listener) => SocketAcceptor.Run(listener, _stopping.Token, Accepted);

    private void Accepted(Socket socket)
    {
        socket.NoDelay = true;
        Context.Stats.ConnectionReceived();
        if (Context.Clients.Count >= Context.Config.MaxClients)
        {
            // As Redis: say why, then close, without reading anything from the client.
            Context.Stats.ConnectionRejected();
            _ = RejectAsync(socket, MaxClientsReached);
            return;
        }

        if (Context.Config.ProtectedMode && Context.Config.RequirePass.Length == 0 && !IsLoopbackClient(socket))
        {
            Context.Stats.ConnectionRejected();
            _ = RejectAsync(socket, ProtectedModeDenied);
            return;
        }

        var client = new ClientConnection(socket, Context);
        _ = Task.Run(() => client.RunAsync(_stopping.Token));
    }

    // As Redis's protected mode decides: only 127.0.0.1 and ::1 are local (127.0.0.2 is not).
    private static bool IsLoopbackClient(Socket socket)
    {
        if (socket.RemoteEndPoint is not IPEndPoint { Address: var address })
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback);
    }

    private static async Task RejectAsync(Socket socket, byte[] reply)
    {
        try
        {
            await socket.SendAsync(reply, SocketFlags.None);
        }
        catch (SocketException)
        {
            // Gone already.
        }
        finally
        {
            socket.Dispose();
        }
    }

    // Redis's `timeout`: clients idle longer are closed; subscribers are not (they wait by design).
    private async Task CloseIdleClients()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                long timeout = Context.Config.IdleTimeoutSeconds;
                if (timeout <= 0)
                {
                    continue;
                }

                var now = DateTimeOffset.UtcNow;
                foreach (var client in Context.Clients.All.Where(c => !c.InSubscribeMode && (now - c.LastInteraction).TotalSeconds > timeout))
                {
                    client.Close();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task SampleOps()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Context.Stats.SampleOps();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task RegisterPubSubListener()
    {
        try
        {
            await Context.Grains.GetGrain<IPubSubGrain>(0).Register(_pubSubReference!);
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            Context.Logger.LogPubSubRegistrationFailed(exception);
        }
    }

    private async Task RefreshPubSubListener()
    {
        using var timer = new PeriodicTimer(ListenerRefresh);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await RegisterPubSubListener();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
