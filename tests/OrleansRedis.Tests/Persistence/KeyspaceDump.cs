using System.Text;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Protocol;
using OrleansRedis.Tests.Infrastructure;

namespace OrleansRedis.Tests.Persistence;

/// <summary>Everything a server holds in databases 0–4, as text: every key's type, value and absolute expiry.</summary>
public static class KeyspaceDump
{
    /// <summary>Reads the whole keyspace of the server on <paramref name="port"/>.</summary>
    public static string Of(int port)
    {
        using var client = new RawClient(port);
        var text = new StringBuilder();
        for (int db = 0; db < 5; db++)
        {
            client.Call("SELECT", db.ToString());
            var keys = Items(client.Call("KEYS", "*")).Order(StringComparer.Ordinal).ToList();
            foreach (var key in keys)
            {
                string type = client.Call("TYPE", key).Trim('+', '\r', '\n');
                string value = type switch
                {
                    "string" => Items(client.Call("GET", key)).Single(),
                    "hash" => string.Join(",", Items(client.Call("HGETALL", key)).Chunk(2).Select(p => $"{p[0]}={p[1]}").Order(StringComparer.Ordinal)),
                    "list" => string.Join(",", Items(client.Call("LRANGE", key, "0", "-1"))),
                    "set" => string.Join(",", Items(client.Call("SMEMBERS", key)).Order(StringComparer.Ordinal)),
                    "zset" => string.Join(",", Items(client.Call("ZRANGE", key, "0", "-1", "WITHSCORES"))),
                    _ => "?",
                };
                string expiry = client.Call("PEXPIRETIME", key).Trim(':', '\r', '\n');
                text.Append($"db{db} {key} {type} {value} expireat={expiry}\n");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Items(string reply)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(reply);
        int offset = 0;
        return ReplyParser.Parse(bytes, ref offset) switch
        {
            ArrayReply array => array.Items.Select(i => Encoding.UTF8.GetString(((BulkReply)i).Value)),
            BulkReply bulk => [Encoding.UTF8.GetString(bulk.Value)],
            var other => [other.ToString()!],
        };
    }
}
