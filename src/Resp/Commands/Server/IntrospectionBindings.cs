using System.Text;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;
using static OrleansRedis.Resp.Commands.Server.ConnectionBindings;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>COMMAND and its subcommands, answered from the command table.</summary>
public static class IntrospectionBindings
{
    /// <summary>The bindings of this family.</summary>
    public static IEnumerable<CommandBinding> All =>
    [
        new("command", CommandId.Command, ctx => Done(new ArrayReply(ctx.Server.Commands.All.Select(c => c.Info).ToArray()))),
        new("command|count", CommandId.Command, ctx => Done(Reply.Integer(ctx.Server.Commands.All.Count))),
        new("command|info", CommandId.Command, Info),
        new("command|docs", CommandId.Command, Docs),
        new("command|list", CommandId.Command, List),
    ];

    private static ValueTask<Reply> Info(CommandContext ctx)
    {
        if (ctx.Args.Count == 2)
        {
            return Done(new ArrayReply(ctx.Server.Commands.All.Select(c => c.Info).ToArray()));
        }

        var infos = Enumerable.Range(2, ctx.Args.Count - 2)
            .Select(i => ctx.Server.Commands.Find(ctx.Args.GetString(i))?.Info ?? Reply.NullBulk)
            .ToArray();
        return Done(new ArrayReply(infos));
    }

    private static ValueTask<Reply> Docs(CommandContext ctx)
    {
        var specs = ctx.Args.Count == 2
            ? ctx.Server.Commands.All
            : Enumerable.Range(2, ctx.Args.Count - 2).Select(i => ctx.Server.Commands.Find(ctx.Args.GetString(i))).OfType<CommandSpec>();
        return Done(new MapReply(specs.SelectMany(s => new[] { Reply.Bulk(s.Name), s.Docs }).ToArray()));
    }

    private static ValueTask<Reply> List(CommandContext ctx)
    {
        var all = ctx.Server.Commands.All.SelectMany(c => c.Subcommands.Values.Prepend(c)).ToList();
        if (ctx.Args.Count == 2)
        {
            return Done(Reply.BulkArray(all.Select(c => Encoding.UTF8.GetBytes(c.Name))));
        }

        if (ctx.Args.Count != 5 || !ctx.Args.Is(2, "FILTERBY"u8))
        {
            return Done(Errors.Syntax);
        }

        string value = ctx.Args.GetString(4);
        IEnumerable<CommandSpec> filtered;
        if (ctx.Args.Is(3, "PATTERN"u8))
        {
            byte[] pattern = Encoding.UTF8.GetBytes(value);
            filtered = all.Where(c => Glob.IsMatch(pattern, Encoding.UTF8.GetBytes(c.Name), ignoreCase: true));
        }
        else if (ctx.Args.Is(3, "ACLCAT"u8))
        {
            filtered = all.Where(c => AclCategories(c).Contains("@" + value.ToLowerInvariant()));
        }
        else if (ctx.Args.Is(3, "MODULE"u8))
        {
            filtered = [];
        }
        else
        {
            return Done(Errors.Syntax);
        }

        return Done(Reply.BulkArray(filtered.Select(c => Encoding.UTF8.GetBytes(c.Name))));
    }

    private static IEnumerable<string> AclCategories(CommandSpec spec) =>
        CommandTable.Items(((ArrayReply)spec.Info).Items[6]).Select(c => ((StatusReply)c).Value);
}
