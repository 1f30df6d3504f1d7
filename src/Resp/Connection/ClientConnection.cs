using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Keys;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands;
using OrleansRedis.Abstractions.Protocol;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Resp.Connection;

/// <summary>
/// One client connection: reads requests from the socket, runs them in the order sent and
/// writes every reply of one read with a single flush. Holds the client's state (protocol,
/// database, name, authentication, subscriptions).
/// </summary>
public sealed class ClientConnection
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly PipelineBatch _batch = new();
    private bool _outputLimitExceeded;
    private readonly Func<Reply, ValueTask> _write;

    /// <summary>Wraps an accepted socket.</summary>
    public ClientConnection(Socket socket, ServerContext server)
    {
        _socket = socket;
        Server = server;
        Id = server.Clients.NextId();
        var stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(ConnectionMemoryPool.Instance, bufferSize: 16 * 1024, minimumReadSize: 4 * 1024));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(ConnectionMemoryPool.Instance, minimumBufferSize: 16 * 1024));
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
        FileDescriptor = socket.Handle.ToInt64();
        Authenticated = server.Config.RequirePass.Length == 0;
        _write = WriteAsync;
    }

    /// <summary>The server this client is connected to.</summary>
    public ServerContext Server { get; }

    /// <summary>The client id (CLIENT ID).</summary>
    public long Id { get; }

    /// <summary>The peer's address.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The server's address of this connection.</summary>
    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>When the client last sent a command.</summary>
    public DateTimeOffset LastInteraction { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>RESP protocol version: 2, or 3 after HELLO 3.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>CLIENT SETNAME's name; empty when none.</summary>
    public string Name { get; set; } = "";

    /// <summary>CLIENT SETINFO LIB-NAME.</summary>
    public string LibraryName { get; set; } = "";

    /// <summary>CLIENT SETINFO LIB-VER.</summary>
    public string LibraryVersion { get; set; } = "";

    /// <summary>The selected database.</summary>
    public int Db { get; set; }

    /// <summary>Whether the client may run commands (always, when no password is set).</summary>
    public bool Authenticated { get; set; }

    /// <summary>The last command run, as CLIENT LIST shows it.</summary>
    public string LastCommand { get; set; } = "NULL";

    /// <summary>Subscribed channels.</summary>
    public HashSet<byte[]> Channels { get; } = new(ByteArrayComparer.Instance);

    /// <summary>Subscribed patterns.</summary>
    public HashSet<byte[]> Patterns { get; } = new(ByteArrayComparer.Instance);

    /// <summary>Whether the client has any subscription (RESP2 then allows only pub/sub commands).</summary>
    public bool InSubscribeMode => Channels.Count + Patterns.Count > 0;

    /// <summary>The size of a read buffer segment (CLIENT LIST's rbs).</summary>
    public const int ReadBufferSize = 16 * 1024;

    private long _queryBuffer;
    private long _queryBufferPeak;

    /// <summary>Bytes read from the client and not yet consumed (CLIENT LIST's qbuf): the current read, while it runs.</summary>
    public long QueryBufferBytes => Interlocked.Read(ref _queryBuffer);

    /// <summary>The most bytes the query buffer has held (CLIENT LIST's rbp).</summary>
    public long QueryBufferPeak => Interlocked.Read(ref _queryBufferPeak);

    /// <summary>Bytes of the read buffer's segments that the query does not fill (CLIENT LIST's qbuf-free).</summary>
    public long QueryBufferFree
    {
        get
        {
            long used = QueryBufferBytes;
            return used == 0 ? 0 : ((used + ReadBufferSize - 1) / ReadBufferSize * ReadBufferSize) - used;
        }
    }

    /// <summary>Reply bytes written but not yet sent to the client (CLIENT LIST's omem).</summary>
    public long OutputBufferBytes => _output.CanGetUnflushedBytes ? _output.UnflushedBytes : 0;

    /// <summary>Bytes of the arguments of the command running now (CLIENT LIST's argv-mem).</summary>
    public long ArgumentBytes { get; private set; }

    /// <summary>The socket's file descriptor (CLIENT LIST's fd).</summary>
    public long FileDescriptor { get; }

    /// <summary>CLIENT REPLY: whether replies are sent (On), dropped (Off), or the next one dropped (Skip).</summary>
    public ClientReplyMode ReplyMode { get; set; } = ClientReplyMode.On;

    // CLIENT REPLY SKIP drops the reply of the command after it, then replies resume.
    private bool SuppressReply()
    {
        switch (ReplyMode)
        {
            case ClientReplyMode.Off:
                return true;
            case ClientReplyMode.SkipNext:
                ReplyMode = ClientReplyMode.On;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Stopwatch ticks the running command has spent blocked (left out of its INFO commandstats time).</summary>
    public long BlockedTicks { get; set; }

    /// <summary>Cancelled when the connection is closed (CLIENT KILL, server stop).</summary>
    public CancellationToken Closing => _closed.Token;

    /// <summary>Whether the peer has closed its end (checked while a command blocks, since nothing reads meanwhile).</summary>
    public bool PeerHasClosed
    {
        get
        {
            try
            {
                return _closed.IsCancellationRequested || (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    /// <summary>Set by QUIT and protocol errors: close once the pending replies are written.</summary>
    public bool CloseAfterReply { get; set; }

    /// <summary>Reads and runs requests until the client disconnects or the server stops.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closed.Token);
        var args = new RequestArgs();
        Server.Clients.Add(this);
        try
        {
            while (!CloseAfterReply)
            {
                var result = await _input.ReadAsync(linked.Token);
                var buffer = result.Buffer;
                Server.Stats.Input(buffer.Length);
                Interlocked.Exchange(ref _queryBuffer, buffer.Length);
                if (buffer.Length > _queryBufferPeak)
                {
                    Interlocked.Exchange(ref _queryBufferPeak, buffer.Length);
                }

                var consumed = await ProcessAsync(buffer, args);
                Interlocked.Exchange(ref _queryBuffer, buffer.Slice(consumed).Length);
                _input.AdvanceTo(consumed, buffer.End);
                await FlushAsync();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping, or CLIENT KILL.
        }
        catch (IOException)
        {
            // The peer went away.
        }
        catch (Exception exception)
        {
            Server.Logger.LogConnectionError(exception, Id);
        }
        finally
        {
            Server.Clients.Remove(this);
            Server.Subscriptions.RemoveAll(this);
            await _input.CompleteAsync();
            await _output.CompleteAsync();
            _socket.Dispose();
        }
    }

    /// <summary>Closes the connection (CLIENT KILL, server stop).</summary>
    public void Close()
    {
        CloseAfterReply = true;
        _closed.Cancel();
        _input.CancelPendingRead();
    }

    /// <summary>Writes an out-of-band message (pub/sub) and flushes it; safe from any thread.</summary>
    public async ValueTask SendAsync(Reply reply)
    {
        await _writeLock.WaitAsync();
        try
        {
            ReplyWriter.Write(_output, reply, Protocol);
            var flushed = await _output.FlushAsync();
            if (flushed.IsCompleted)
            {
                Close();
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            Close();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="produce"/> and writes its reply while no other reply or message can
    /// be written: SUBSCRIBE uses it so that its confirmation precedes the channel's messages.
    /// </summary>
    public async ValueTask WriteAtomicallyAsync(Func<Reply> produce)
    {
        await _writeLock.WaitAsync();
        try
        {
            ReplyWriter.Write(_output, produce(), Protocol);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Runs every whole request in the buffer; returns how far it got.
    private async ValueTask<SequencePosition> ProcessAsync(ReadOnlySequence<byte> buffer, RequestArgs args)
    {
        var position = buffer.Start;
        while (!CloseAfterReply)
        {
            var status = ParseNext(buffer, ref position, args, out string? error);
            if (status == ParseStatus.Incomplete)
            {
                break;
            }

            if (status == ParseStatus.Error)
            {
                // As Redis: answer what came before, then the error, then close this connection only.
                await _batch.RunAsync(this, _write);
                await WriteAsync(Errors.Protocol(error!));
                CloseAfterReply = true;
                return buffer.End;
            }

            if (args.Count == 0)
            {
                continue;
            }

            LastInteraction = DateTimeOffset.UtcNow;
            ArgumentBytes = args.TotalLength;
            var rejection = CommandDispatcher.Prepare(this, args, out var spec);
            if (rejection is not null)
            {
                _batch.Add(rejection);
            }
            else if (spec!.RunsInKeyGrain)
            {
                // From the key on: for a subcommand such as OBJECT ENCODING key, the key is not the first argument.
                _batch.Add(spec, new KeyCommand(spec.Id, args.ToArrays(spec.FirstKey)), Db);
            }
            else
            {
                await _batch.RunAsync(this, _write);
                await WriteAsync(await CommandDispatcher.Run(this, args, spec));
            }
        }

        await _batch.RunAsync(this, _write);
        return position;
    }

    private ParseStatus ParseNext(ReadOnlySequence<byte> buffer, ref SequencePosition position, RequestArgs args, out string? error)
    {
        var reader = new SequenceReader<byte>(buffer.Slice(position));
        var status = RequestParser.TryParse(ref reader, args, Authenticated, Server.Config.ProtoMaxBulkLen, out error);
        position = reader.Position;
        return status;
    }

    private async ValueTask WriteAsync(Reply reply)
    {
        if (reply is ErrorReply error)
        {
            Server.Stats.ErrorReplied(error.Message);
        }

        if (reply is NoReply || SuppressReply())
        {
            return;
        }

        await _writeLock.WaitAsync();
        try
        {
            if (_outputLimitExceeded)
            {
                return;
            }

            ReplyWriter.Write(_output, reply, Protocol);
            var limit = Server.Config.OutputLimit(InSubscribeMode);
            if (limit.Hard > 0 && _output.UnflushedBytes > limit.Hard)
            {
                ExceedOutputLimit();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask FlushAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_outputLimitExceeded)
            {
                return;
            }

            long pending = _output.UnflushedBytes;
            Server.Stats.Output(pending);
            var limit = Server.Config.OutputLimit(InSubscribeMode);
            if (limit.Soft > 0 && pending > limit.Soft)
            {
                // Past the soft limit the client has soft-seconds to take its replies.
                if (limit.SoftSeconds == 0)
                {
                    ExceedOutputLimit();
                    return;
                }

                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(limit.SoftSeconds));
                try
                {
                    await _output.FlushAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    ExceedOutputLimit();
                }

                return;
            }

            await _output.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // client-output-buffer-limit: the client is closed at once and its pending replies dropped,
    // so a client that asks for more than it reads cannot make the server hold its replies.
    private void ExceedOutputLimit()
    {
        _outputLimitExceeded = true;
        Server.Logger.LogOutputLimit(Id, _output.UnflushedBytes);
        Close();
        _socket.Dispose();
    }
}

/// <summary>CLIENT REPLY's modes.</summary>
public enum ClientReplyMode
{
    /// <summary>Every reply is sent.</summary>
    On,

    /// <summary>No reply is sent until CLIENT REPLY ON.</summary>
    Off,

    /// <summary>CLIENT REPLY SKIP: the next command's reply is dropped.</summary>
    SkipNext,
}
