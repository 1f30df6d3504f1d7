using System.Globalization;
using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Connection;
using static OrleansRedis.Resp.Commands.Server.ConnectionBindings;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>CLIENT subcommands: ID, SETNAME, GETNAME, SETINFO, LIST, INFO, KILL, REPLY.</summary>
public static class ClientBindings
{
    /// <summary>A client name with spaces or special characters.</summary>
    internal static readonly ErrorReply InvalidName = Errors.InvalidClientName;

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("client|id", CommandId.Client, ctx => Done(Reply.Integer(ctx.Client.Id))),
        new("client|setname", CommandId.Client, SetName),
        new("client|getname", CommandId.Client, ctx => Done(ctx.Client.Name.Length == 0 ? Reply.NullBulk : Reply.Bulk(ctx.Client.Name))),
        new("client|setinfo", CommandId.Client, SetInfo),
        new("client|list", CommandId.Client, List),
        new("client|info", CommandId.Client, ctx => Done(new VerbatimReply(Describe(ctx.Client) + "\n"))),
        new("client|kill", CommandId.Client, Kill),
        new("client|reply", CommandId.Client, SetReplyMode),
        new("client|unblock", CommandId.Client, Unblock),
    ];

    /// <summary>Whether a client name (or library name) is made of printable characters other than space, as Redis requires.</summary>
    internal static bool IsValidName(string name) => name.All(c => c is > ' ' and <= '~');

    // CLIENT REPLY ON answers OK; OFF and SKIP answer nothing (their own reply is the first one dropped).
    private static ValueTask<Reply> SetReplyMode(CommandContext ctx)
    {
        if (ctx.Args.Is(2, "ON"u8))
        {
            ctx.Client.ReplyMode = ClientReplyMode.On;
            return Done(Reply.Ok);
        }

        if (ctx.Args.Is(2, "OFF"u8))
        {
            ctx.Client.ReplyMode = ClientReplyMode.Off;
            return Done(NoReply.Instance);
        }

        if (ctx.Args.Is(2, "SKIP"u8))
        {
            ctx.Client.ReplyMode = ClientReplyMode.SkipNext;
            return Done(NoReply.Instance);
        }

        return Done(Errors.Syntax);
    }

    private static ValueTask<Reply> SetName(CommandContext ctx)
    {
        string name = ctx.Args.GetString(2);
        if (!IsValidName(name))
        {
            return Done(InvalidName);
        }

        ctx.Client.Name = name;
        return Done(Reply.Ok);
    }

    private static ValueTask<Reply> SetInfo(CommandContext ctx)
    {
        string value = ctx.Args.GetString(3);
        if (ctx.Args.Is(2, "LIB-NAME"u8))
        {
            if (!IsValidName(value))
            {
                return Done(Errors.InvalidLibraryAttribute("lib-name"));
            }

            ctx.Client.LibraryName = value;
        }
        else if (ctx.Args.Is(2, "LIB-VER"u8))
        {
            if (!IsValidName(value))
            {
                return Done(Errors.InvalidLibraryAttribute("lib-ver"));
            }

            ctx.Client.LibraryVersion = value;
        }
        else
        {
            return Done(Errors.UnrecognizedOption(ctx.Args.GetString(2)));
        }

        return Done(Reply.Ok);
    }

    private static ValueTask<Reply> List(CommandContext ctx)
    {
        IEnumerable<ClientConnection> clients = ctx.Server.Clients.All;
        for (int i = 2; i < ctx.Args.Count; i++)
        {
            if (ctx.Args.Is(i, "TYPE"u8) && i + 1 < ctx.Args.Count)
            {
                string type = ctx.Args.GetString(++i).ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
                {
                    return Done(Errors.UnknownClientType(type));
                }

                clients = clients.Where(c => type == (c.InSubscribeMode ? "pubsub" : "normal"));
            }
            else if (ctx.Args.Is(i, "ID"u8) && i + 1 < ctx.Args.Count)
            {
                var ids = new HashSet<long>();
                while (i + 1 < ctx.Args.Count)
                {
                    if (!ctx.Args.TryGetInt64(++i, out long id) || id <= 0)
                    {
                        return Done(Errors.InvalidClientId);
                    }

                    ids.Add(id);
                }

                clients = clients.Where(c => ids.Contains(c.Id));
            }
            else
            {
                return Done(Errors.Syntax);
            }
        }

        var text = new StringBuilder();
        foreach (var client in clients)
        {
            text.Append(Describe(client)).Append('\n');
        }

        return Done(new VerbatimReply(text.ToString()));
    }

    private static ValueTask<Reply> Kill(CommandContext ctx)
    {
        var clients = ctx.Server.Clients.All.ToList();
        if (ctx.Args.Count == 3)
        {
            // The old form: CLIENT KILL addr:port.
            string address = ctx.Args.GetString(2);
            var target = clients.FirstOrDefault(c => c.RemoteEndPoint?.ToString() == address);
            if (target is null)
            {
                return Done(Errors.NoSuchClient);
            }

            target.Close();
            return Done(Reply.Ok);
        }

        bool skipMe = true;
        IEnumerable<ClientConnection> matching = clients;
        for (int i = 2; i < ctx.Args.Count; i += 2)
        {
            if (i + 1 >= ctx.Args.Count)
            {
                return Done(Errors.Syntax);
            }

            string value = ctx.Args.GetString(i + 1);
            if (ctx.Args.Is(i, "ID"u8))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long id) || id <= 0)
                {
                    return Done(Errors.ClientIdNotPositive);
                }

                matching = matching.Where(c => c.Id == id);
            }
            else if (ctx.Args.Is(i, "ADDR"u8))
            {
                matching = matching.Where(c => c.RemoteEndPoint?.ToString() == value);
            }
            else if (ctx.Args.Is(i, "LADDR"u8))
            {
                matching = matching.Where(c => c.LocalEndPoint?.ToString() == value);
            }
            else if (ctx.Args.Is(i, "TYPE"u8))
            {
                string type = value.ToLowerInvariant();
                matching = matching.Where(c => type == (c.InSubscribeMode ? "pubsub" : "normal"));
            }
            else if (ctx.Args.Is(i, "USER"u8))
            {
                matching = matching.Where(_ => value == "default");
            }
            else if (ctx.Args.Is(i, "SKIPME"u8))
            {
                if (value is not ("yes" or "no"))
                {
                    return Done(Errors.Syntax);
                }

                skipMe = value == "yes";
            }
            else
            {
                return Done(Errors.Syntax);
            }
        }

        var killed = matching.Where(c => !skipMe || c != ctx.Client).ToList();
        foreach (var client in killed)
        {
            if (client == ctx.Client)
            {
                client.CloseAfterReply = true;
            }
            else
            {
                client.Close();
            }
        }

        return Done(Reply.Integer(killed.Count));
    }

    // CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was blocked here and now is not.
    private static ValueTask<Reply> Unblock(CommandContext ctx)
    {
        var args = ctx.Args;
        if (!args.TryGetInt64(2, out long id))
        {
            return Done(Errors.NotInteger);
        }

        bool error = false;
        if (args.Count == 4)
        {
            if (args.Is(3, "ERROR"u8))
            {
                error = true;
            }
            else if (!args.Is(3, "TIMEOUT"u8))
            {
                return Done(new ErrorReply("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
            }
        }
        else if (args.Count > 4)
        {
            return Done(Errors.Syntax);
        }

        return Done(Reply.Integer(ctx.Server.Blocked.Unblock(id, error ? Blocking.BlockingPop.Unblocked : null) ? 1 : 0));
    }

    /// <summary>One CLIENT LIST line, with the fields Redis 7 prints.</summary>
    internal static string Describe(ClientConnection c)
    {
        var now = DateTimeOffset.UtcNow;
        string flags = (c.InSubscribeMode ? "P" : "") + (c.Server.Blocked.IsBlocked(c.Id) ? "b" : "");
        flags = flags.Length == 0 ? "N" : flags;
        long qbuf = c.QueryBufferBytes, qbufFree = c.QueryBufferFree, omem = c.OutputBufferBytes;
        long outputSegments = (omem + ClientConnection.ReadBufferSize - 1) / ClientConnection.ReadBufferSize;
        return string.Create(CultureInfo.InvariantCulture,
            $"id={c.Id} addr={c.RemoteEndPoint} laddr={c.LocalEndPoint} fd={c.FileDescriptor} name={c.Name} " +
            $"age={(long)(now - c.ConnectedAt).TotalSeconds} idle={(long)(now - c.LastInteraction).TotalSeconds} " +
            $"flags={flags} db={c.Db} sub={c.Channels.Count} psub={c.Patterns.Count} ssub=0 multi=-1 qbuf={qbuf} qbuf-free={qbufFree} " +
            $"argv-mem={c.ArgumentBytes} multi-mem=0 rbs={ClientConnection.ReadBufferSize} rbp={c.QueryBufferPeak} obl={Math.Min(omem, ClientConnection.ReadBufferSize)} " +
            $"oll={Math.Max(0, outputSegments - 1)} omem={omem} tot-mem={qbuf + qbufFree + omem + c.ArgumentBytes} events={(omem > 0 ? "rw" : "r")} cmd={c.LastCommand} " +
            $"user=default redir=-1 resp={c.Protocol} lib-name={c.LibraryName} lib-ver={c.LibraryVersion}");
    }
}
