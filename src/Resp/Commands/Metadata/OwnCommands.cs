using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Resp.Commands.Metadata;

/// <summary>
/// COMMAND INFO and COMMAND DOCS of the commands that are ours, not Redis's (NODE), in the shape
/// Redis 7 describes its own: a container whose subcommands carry arity, flags and ACL categories.
/// </summary>
internal static class OwnCommands
{
    /// <summary>NODE HELP's text, in the shape of Redis's HELP replies.</summary>
    public static readonly ArrayReply NodeHelp = new(
    [
        new StatusReply("NODE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
        new StatusReply("LIST"),
        new StatusReply("    Return the node set: its epoch, and per node its name, address, state, slots and keys."),
        new StatusReply("REMOVE <name>"),
        new StatusReply("    Move the keys of node <name> to the other nodes, then remove it from the node set."),
        new StatusReply("HELP"),
        new StatusReply("    Prints this help."),
    ]);

    /// <summary>Each own command's name, COMMAND INFO entry and COMMAND DOCS map.</summary>
    public static IEnumerable<(string Name, ArrayReply Info, MapReply Docs)> All()
    {
        var list = Info("node|list", 2, ["admin", "noscript", "loading", "stale"], ["nondeterministic_output"]);
        var remove = Info("node|remove", 3, ["admin", "noscript"], []);
        var help = Info("node|help", 2, ["loading", "stale"], []);
        var container = new ArrayReply(
        [
            Reply.Bulk("node"), Reply.Integer(-2), new SetReply([]), Reply.Integer(0), Reply.Integer(0), Reply.Integer(0),
            new SetReply([new StatusReply("@slow")]), new SetReply([]), new ArrayReply([]), new ArrayReply([list, remove, help]),
        ]);
        var docs = Docs("A container for commands on the cluster's node set (OrleansRedis).", "O(1)", null,
            ("subcommands", new MapReply(
            [
                Reply.Bulk("node|list"), Docs("Lists the node set: epoch, and per node its name, address, status, slots and keys.", "O(N) where N is the number of nodes", null),
                Reply.Bulk("node|remove"), Docs("Moves a node's keys to the other nodes, then removes it from the node set.", "O(N) where N is the number of keys of the node", "name"),
                Reply.Bulk("node|help"), Docs("Returns helpful text about the different subcommands.", "O(1)", null),
            ])));
        yield return ("node", container, docs);
    }

    private static ArrayReply Info(string name, int arity, string[] flags, string[] tips) => new(
    [
        Reply.Bulk(name), Reply.Integer(arity), new SetReply([.. flags.Select(f => new StatusReply(f))]),
        Reply.Integer(0), Reply.Integer(0), Reply.Integer(0),
        new SetReply([new StatusReply("@admin"), new StatusReply("@slow"), new StatusReply("@dangerous")]),
        new SetReply([.. tips.Select(t => new StatusReply(t))]), new ArrayReply([]), new ArrayReply([]),
    ]);

    private static MapReply Docs(string summary, string complexity, string? argument, params (string Key, Reply Value)[] more)
    {
        var items = new List<Reply>
        {
            Reply.Bulk("summary"), Reply.Bulk(summary),
            Reply.Bulk("since"), Reply.Bulk("0.1.0"),
            Reply.Bulk("group"), Reply.Bulk("server"),
            Reply.Bulk("complexity"), Reply.Bulk(complexity),
        };
        if (argument is not null)
        {
            items.Add(Reply.Bulk("arguments"));
            items.Add(new ArrayReply([new MapReply([Reply.Bulk("name"), Reply.Bulk(argument), Reply.Bulk("type"), Reply.Bulk("string")])]));
        }

        foreach (var (key, value) in more)
        {
            items.Add(Reply.Bulk(key));
            items.Add(value);
        }

        return new MapReply([.. items]);
    }
}
