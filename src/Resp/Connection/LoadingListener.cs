using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansRedis.Abstractions.Hosting;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Resp.Config;

namespace OrleansRedis.Resp.Connection;

/// <summary>
/// The RESP port while the node starts and loads its AOF: bound before anything else (so a port
/// in use stops the start at once), it answers every command with Redis's
/// <c>-LOADING Redis is loading the dataset in memory</c>, and INFO with the loading_* fields.
/// When the node is ready the RESP server takes its listening sockets over, without a moment in
/// which the port is closed; the connections made while loading are closed then (clients
/// reconnect, as they do after LOADING).
/// </summary>
public sealed class LoadingListener : IAsyncDisposable
{
    private static readonly byte[] LoadingError = "-LOADING Redis is loading the dataset in memory\r\n"u8.ToArray();
    private readonly List<Socket> _listeners;
    private readonly LoadingProgress _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _acceptLoops = [];
    private readonly List<Socket> _clients = [];
    private bool _handedOver;

    private LoadingListener(List<Socket> listeners, LoadingProgress progress)
    {
        _listeners = listeners;
        _progress = progress;
        foreach (var listener in listeners)
        {
            _acceptLoops.Add(AcceptLoop(listener));
        }
    }

    /// <summary>Binds the configured addresses and port and starts answering LOADING; throws <see cref="StartupException"/> when a port is taken.</summary>
    public static LoadingListener Start(ServerConfig config, LoadingProgress progress) =>
        new(RespServer.Bind(config), progress);

    /// <summary>Stops answering and hands the listening sockets to the RESP server.</summary>
    public async Task<List<Socket>> HandOver()
    {
        _handedOver = true;
        _stop.Cancel();
        await Task.WhenAll(_acceptLoops).ContinueWith(_ => { }, TaskScheduler.Default);
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        return _listeners;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_handedOver)
        {
            return;
        }

        foreach (var listener in await HandOver())
        {
            listener.Dispose();
        }
    }

    private Task AcceptLoop(Socket listener) => SocketAcceptor.Run(listener, _stop.Token, socket =>
    {
        lock (_clients)
        {
            _clients.Add(socket);
        }

        _ = Answer(socket);
    });

    private async Task Answer(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        var input = PipeReader.Create(stream);
        var args = new RequestArgs();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await input.ReadAsync(_stop.Token);
                var reader = new SequenceReader<byte>(result.Buffer);
                var replies = new List<byte[]>();
                while (RequestParser.TryParse(ref reader, args, authenticated: false, RequestParser.UnauthenticatedMaxBulk, out _) == ParseStatus.Complete)
                {
                    if (args.Count > 0)
                    {
                        replies.Add(args.Is(0, "INFO"u8) ? Info() : LoadingError);
                    }
                }

                input.AdvanceTo(reader.Position, result.Buffer.End);
                foreach (var reply in replies)
                {
                    await stream.WriteAsync(reply, _stop.Token);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or InvalidOperationException)
        {
            // Handed over, or the client went away.
        }
        finally
        {
            await input.CompleteAsync();
            socket.Dispose();
        }
    }

    // INFO while loading: Redis's loading fields, as its persistence section shows them.
    private byte[] Info()
    {
        var culture = CultureInfo.InvariantCulture;
        string text = string.Create(culture,
            $"# Persistence\r\nloading:1\r\nasync_loading:0\r\nloading_start_time:{_progress.StartedAt.ToUnixTimeSeconds()}\r\n" +
            $"loading_total_bytes:{_progress.TotalBytes}\r\nloading_rdb_used_mem:0\r\nloading_loaded_bytes:{_progress.LoadedBytes}\r\n" +
            $"loading_loaded_perc:{_progress.Percent:F2}\r\nloading_eta_seconds:{_progress.EtaSeconds}\r\n");
        return Encoding.ASCII.GetBytes($"${Encoding.ASCII.GetByteCount(text)}\r\n{text}\r\n");
    }
}
