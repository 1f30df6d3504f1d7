using System.Security.Cryptography;
using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using OrleansRedis.Resp.Connection;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>Connection commands: PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET.</summary>
public static class ConnectionBindings
{
    /// <summary>The Redis version this server answers as.</summary>
    public const string RedisVersion = "7.0.15";

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("ping", CommandId.Ping, Ping),
        new("echo", CommandId.Echo, ctx => Done(new BulkReply(ctx.Args.ToArray(1)))),
        new("hello", CommandId.Hello, Hello),
        new("auth", CommandId.Auth, Auth),
        new("select", CommandId.Select, Select),
        new("quit", CommandId.Quit, Quit),
        new("reset", CommandId.Reset, Reset),
        // One user, "default", as on a Redis with no ACL users configured.
        new("acl|whoami", CommandId.Acl, _ => Done(Reply.Bulk("default"))),
    ];

    /// <summary>A reply that is ready now.</summary>
    internal static ValueTask<Reply> Done(Reply reply) => ValueTask.FromResult(reply);

    private static ValueTask<Reply> Ping(CommandContext ctx)
    {
        if (ctx.Args.Count > 2)
        {
            return Done(Errors.WrongArgumentCount(ctx.Name));
        }

        // In RESP2 subscribe mode PING answers in the shape of a message.
        if (ctx.Client.Protocol == 2 && ctx.Client.InSubscribeMode)
        {
            return Done(new ArrayReply([Reply.Bulk("pong"), new BulkReply(ctx.Args.Count == 2 ? ctx.Args.ToArray(1) : [])]));
        }

        return Done(ctx.Args.Count == 2 ? new BulkReply(ctx.Args.ToArray(1)) : Reply.Pong);
    }

    private static ValueTask<Reply> Hello(CommandContext ctx)
    {
        var client = ctx.Client;
        int protocol = client.Protocol;
        int next = 1;
        if (ctx.Args.Count > 1)
        {
            if (!ctx.Args.TryGetInt64(1, out long version))
            {
                return Done(Errors.ProtocolVersionNotInteger);
            }

            if (version is < 2 or > 3)
            {
                return Done(Errors.NoProto);
            }

            protocol = (int)version;
            next = 2;
        }

        string? user = null, password = null, name = null;
        for (int i = next; i < ctx.Args.Count; i++)
        {
            int remaining = ctx.Args.Count - i - 1;
            if (ctx.Args.Is(i, "AUTH"u8) && remaining >= 2)
            {
                user = ctx.Args.GetString(++i);
                password = ctx.Args.GetString(++i);
            }
            else if (ctx.Args.Is(i, "SETNAME"u8) && remaining >= 1)
            {
                name = ctx.Args.GetString(++i);
                if (!ClientBindings.IsValidName(name))
                {
                    return Done(ClientBindings.InvalidName);
                }
            }
            else
            {
                return Done(Errors.HelloSyntax(ctx.Args.GetString(i)));
            }
        }

        if (user is not null && TryAuthenticate(client, user, password!) is { } authError)
        {
            return Done(authError);
        }

        if (!client.Authenticated)
        {
            return Done(Errors.HelloNoAuth);
        }

        if (name is not null)
        {
            client.Name = name;
        }

        client.Protocol = protocol;
        return Done(new MapReply(
        [
            Reply.Bulk("server"), Reply.Bulk("redis"),
            Reply.Bulk("version"), Reply.Bulk(RedisVersion),
            Reply.Bulk("proto"), Reply.Integer(protocol),
            Reply.Bulk("id"), Reply.Integer(client.Id),
            Reply.Bulk("mode"), Reply.Bulk("standalone"),
            Reply.Bulk("role"), Reply.Bulk("master"),
            Reply.Bulk("modules"), Reply.EmptyArray,
        ]));
    }

    private static ValueTask<Reply> Auth(CommandContext ctx)
    {
        if (ctx.Args.Count > 3)
        {
            return Done(Errors.Syntax);
        }

        string user = ctx.Args.Count == 3 ? ctx.Args.GetString(1) : "default";
        string password = ctx.Args.GetString(ctx.Args.Count - 1);
        if (ctx.Args.Count == 2 && ctx.Server.Config.RequirePass.Length == 0)
        {
            return Done(Errors.AuthWithoutPassword);
        }

        return Done((Reply?)TryAuthenticate(ctx.Client, user, password) ?? Reply.Ok);
    }

    // The default user is the only user: with no requirepass it takes any password (Redis's "nopass").
    private static ErrorReply? TryAuthenticate(ClientConnection client, string user, string password)
    {
        string required = client.Server.Config.RequirePass;
        bool passwordOk = required.Length == 0
            || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(required));
        if (user != "default" || !passwordOk)
        {
            return Errors.WrongPass;
        }

        client.Authenticated = true;
        return null;
    }

    private static ValueTask<Reply> Select(CommandContext ctx)
    {
        if (!ctx.Args.TryGetInt64(1, out long db) || db is > int.MaxValue or < int.MinValue)
        {
            return Done(Errors.NotInteger);
        }

        if (db < 0 || db >= ctx.Server.Config.Databases)
        {
            return Done(Errors.DbIndexOutOfRange);
        }

        ctx.Client.Db = (int)db;
        return Done(Reply.Ok);
    }

    private static ValueTask<Reply> Quit(CommandContext ctx)
    {
        ctx.Client.CloseAfterReply = true;
        return Done(Reply.Ok);
    }

    private static ValueTask<Reply> Reset(CommandContext ctx)
    {
        var client = ctx.Client;
        ctx.Server.Subscriptions.RemoveAll(client);
        client.Db = 0;
        client.Protocol = 2;
        client.Name = "";
        client.Authenticated = ctx.Server.Config.RequirePass.Length == 0;
        return Done(new StatusReply("RESET"));
    }
}
