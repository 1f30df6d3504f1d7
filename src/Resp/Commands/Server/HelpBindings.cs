using System.Reflection;
using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Commands.Metadata;
using OrleansRedis.Resp.Protocol;
using static OrleansRedis.Resp.Commands.Server.ConnectionBindings;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>
/// The HELP subcommand of every container command, so that each "Try X HELP." error names one
/// that exists: Redis 7.0's own text (harvested by tools/harvest-help.sh), NODE's own, and for
/// CLUSTER the error every CLUSTER subcommand gives on a server without cluster support.
/// </summary>
public static class HelpBindings
{
    private static readonly Lazy<Dictionary<string, Reply>> RedisHelp = new(Load);

    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        Help("config", CommandId.Config),
        Help("client", CommandId.Client),
        Help("command", CommandId.Command),
        Help("object", CommandId.ObjectEncoding),
        Help("memory", CommandId.MemoryUsage),
        Help("pubsub", CommandId.PubSub),
        Help("acl", CommandId.Acl),
        new("node|help", CommandId.Node, _ => Done(OwnCommands.NodeHelp)),
        new("cluster|help", CommandId.Cluster, _ => Done(Errors.ClusterDisabled)),
    ];

    private static CommandBinding Help(string container, CommandId id) =>
        new($"{container}|help", id, _ => Done(RedisHelp.Value[container]));

    // The resource is pairs of (container name as a bulk string, its HELP reply).
    private static Dictionary<string, Reply> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("redis-help.resp")
            ?? throw new InvalidOperationException("The resource redis-help.resp is missing.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var data = memory.ToArray();
        int offset = data.AsSpan().IndexOf("\r\n"u8) + 2;
        var help = new Dictionary<string, Reply>();
        while (offset < data.Length)
        {
            var name = (BulkReply)ReplyParser.Parse(data, ref offset);
            help[Encoding.ASCII.GetString(name.Value)] = ReplyParser.Parse(data, ref offset);
        }

        return help;
    }
}
