using System.Net.Sockets;
using System.Text;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// A plain socket to a RESP server: sends exact bytes and reads exact bytes back, for tests
/// that compare replies byte for byte.
/// </summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
    public RawClient(int port)
        : this(port, from: null)
    {
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> from the local address <paramref name="from"/> (e.g. 127.0.0.2, which Redis's protected mode does not count as local).</summary>
    public RawClient(int port, System.Net.IPAddress? from)
    {
        _tcp = from is null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(from, 0));
        _tcp.Connect("127.0.0.1", port);
        _tcp.NoDelay = true;
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = 10_000;
    }

    /// <summary>Sends raw bytes.</summary>
    public void Send(byte[] bytes) => _stream.Write(bytes);

    /// <summary>Sends raw text.</summary>
    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends a command as a RESP array of bulk strings.</summary>
    public void Command(params string[] args) => Send(Encode(args));

    /// <summary>A command as a RESP array of bulk strings.</summary>
    public static byte[] Encode(params string[] args)
    {
        var text = new StringBuilder($"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            text.Append($"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads exactly one whole reply and returns its bytes as text.</summary>
    public string ReadReply()
    {
        var buffer = new List<byte>();
        ReadValue(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Sends a command and reads its reply.</summary>
    public string Call(params string[] args)
    {
        Command(args);
        return ReadReply();
    }

    /// <summary>A numeric field of INFO (of <paramref name="section"/>, or of the default sections when null).</summary>
    public long InfoField(string? section, string name)
    {
        string info = section is null ? Call("INFO") : Call("INFO", section);
        string line = info.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..]);
    }

    /// <summary>Whether the server has closed the connection (reads until end of stream or timeout).</summary>
    public bool IsClosedByServer(int timeoutMs = 5000)
    {
        _stream.ReadTimeout = timeoutMs;
        try
        {
            var buffer = new byte[1024];
            while (true)
            {
                if (_stream.Read(buffer) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private void ReadValue(List<byte> into)
    {
        string line = ReadLine(into);
        char kind = line[0];
        switch (kind)
        {
            case '$' or '=' or '!':
                int length = int.Parse(line[1..]);
                if (length >= 0)
                {
                    ReadExactly(into, length + 2);
                }

                break;
            case '*' or '~' or '>' or '%':
                int count = int.Parse(line[1..]) * (kind == '%' ? 2 : 1);
                for (int i = 0; i < count; i++)
                {
                    ReadValue(into);
                }

                break;
        }
    }

    private string ReadLine(List<byte> into)
    {
        var line = new List<byte>();
        while (true)
        {
            int b = _stream.ReadByte();
            if (b < 0)
            {
                throw new IOException("Connection closed");
            }

            into.Add((byte)b);
            line.Add((byte)b);
            if (line.Count >= 2 && line[^2] == '\r' && line[^1] == '\n')
            {
                return Encoding.UTF8.GetString(line.ToArray(), 0, line.Count - 2);
            }
        }
    }

    private void ReadExactly(List<byte> into, int count)
    {
        var buffer = new byte[count];
        _stream.ReadExactly(buffer);
        into.AddRange(buffer);
    }
}
