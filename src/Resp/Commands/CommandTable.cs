using System.Reflection;
using System.Text;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Resp.Protocol;

namespace OrleansRedis.Resp.Commands;

/// <summary>
/// The one command table. Each command the server implements is bound to a handler by its
/// family's bindings; its arity, flags, key positions and documentation come from the
/// metadata harvested from Redis (<c>tools/harvest-command-metadata.sh</c>), so COMMAND
/// INFO, COMMAND DOCS, COMMAND COUNT and COMMAND LIST describe exactly what is implemented.
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, CommandSpec> _commands;
    private readonly Dictionary<string, CommandSpec>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private CommandTable(Dictionary<string, CommandSpec> commands)
    {
        _commands = commands;
        _lookup = commands.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every top-level command.</summary>
    public IReadOnlyCollection<CommandSpec> All => _commands.Values;

    /// <summary>Finds a top-level command by name, ignoring case.</summary>
    public CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length > 64)
        {
            return null;
        }

        Span<char> chars = stackalloc char[name.Length];
        for (int i = 0; i < name.Length; i++)
        {
            chars[i] = (char)name[i];
        }

        return _lookup.TryGetValue(chars, out var spec) ? spec : null;
    }

    /// <summary>Finds a command by name as text (<c>get</c>, <c>client|list</c>), ignoring case.</summary>
    public CommandSpec? Find(string name)
    {
        var parts = name.Split('|', 2);
        if (!_commands.TryGetValue(parts[0], out var spec))
        {
            return null;
        }

        return parts.Length == 1 ? spec : spec.Subcommands.GetValueOrDefault(parts[1].ToLowerInvariant());
    }

    /// <summary>Builds the table from the bindings of every command family.</summary>
    public static CommandTable Create(IEnumerable<CommandBinding> bindings)
    {
        var bound = bindings.ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);
        var (infos, docs) = LoadMetadata();
        var commands = new Dictionary<string, CommandSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, info) in infos)
        {
            var containerBinding = bound.GetValueOrDefault(name);
            var subcommandInfos = Items(info.Items[9]).Cast<ArrayReply>()
                .Where(sub => bound.ContainsKey(NameOf(sub)))
                .ToArray();
            if (containerBinding is null && subcommandInfos.Length == 0)
            {
                continue;
            }

            var docMap = docs.GetValueOrDefault(name) ?? new MapReply([]);
            var subDocs = Lookup(docMap, "subcommands") as MapReply;
            var subcommands = subcommandInfos.ToDictionary(
                sub => NameOf(sub)[(name.Length + 1)..],
                sub => Spec(sub, bound[NameOf(sub)], Lookup(subDocs, NameOf(sub)) ?? new MapReply([]), []),
                StringComparer.OrdinalIgnoreCase);
            Reply keptSubcommands = info.Items[9] is SetReply ? new SetReply(subcommandInfos) : new ArrayReply(subcommandInfos);
            var filteredInfo = new ArrayReply([.. info.Items[..9], keptSubcommands]);
            var filteredDocs = FilterSubcommandDocs(docMap, subcommands.Values.Select(s => s.Name).ToHashSet());
            commands[name] = Spec(filteredInfo, containerBinding, filteredDocs, subcommands);
        }

        var missing = bound.Keys.Where(n => !commands.ContainsKey(n.Split('|')[0])
            || (n.Contains('|') && !commands[n.Split('|')[0]].Subcommands.ContainsKey(n.Split('|')[1]))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"No Redis metadata for: {string.Join(", ", missing)}. Add them to supported-commands.txt and rerun tools/harvest-command-metadata.sh.");
        }

        return new CommandTable(commands);
    }

    private static CommandSpec Spec(ArrayReply info, CommandBinding? binding, Reply docs, Dictionary<string, CommandSpec> subcommands) => new()
    {
        Name = NameOf(info),
        Id = binding?.Id ?? subcommands.Values.FirstOrDefault()?.Id ?? default,
        Arity = (int)((IntegerReply)info.Items[1]).Value,
        FirstKey = (int)((IntegerReply)info.Items[3]).Value,
        Flags = Items(info.Items[2]).Select(f => ((StatusReply)f).Value).ToHashSet(),
        Handler = binding?.Handler,
        RunsInKeyGrain = binding?.RunsInKeyGrain ?? false,
        Subcommands = subcommands,
        Info = info,
        Docs = docs,
    };

    /// <summary>The elements of an array or a set.</summary>
    internal static Reply[] Items(Reply aggregate) => aggregate switch
    {
        ArrayReply array => array.Items,
        SetReply set => set.Items,
        _ => throw new FormatException($"Expected an array or a set, got {aggregate.GetType().Name}"),
    };

    private static string NameOf(ArrayReply info) => Encoding.UTF8.GetString(((BulkReply)info.Items[0]).Value);

    private static Reply? Lookup(MapReply? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        for (int i = 0; i + 1 < map.KeysAndValues.Length; i += 2)
        {
            if (map.KeysAndValues[i] is BulkReply bulk && Encoding.UTF8.GetString(bulk.Value) == key)
            {
                return map.KeysAndValues[i + 1];
            }
        }

        return null;
    }

    private static Reply FilterSubcommandDocs(MapReply docs, HashSet<string> keep)
    {
        var items = new List<Reply>();
        for (int i = 0; i + 1 < docs.KeysAndValues.Length; i += 2)
        {
            var value = docs.KeysAndValues[i + 1];
            if (docs.KeysAndValues[i] is BulkReply { Value: var key } && Encoding.UTF8.GetString(key) == "subcommands" && value is MapReply subs)
            {
                var kept = new List<Reply>();
                for (int j = 0; j + 1 < subs.KeysAndValues.Length; j += 2)
                {
                    if (keep.Contains(Encoding.UTF8.GetString(((BulkReply)subs.KeysAndValues[j]).Value)))
                    {
                        kept.Add(subs.KeysAndValues[j]);
                        kept.Add(subs.KeysAndValues[j + 1]);
                    }
                }

                value = new MapReply([.. kept]);
            }

            items.Add(docs.KeysAndValues[i]);
            items.Add(value);
        }

        return new MapReply([.. items]);
    }

    private static (List<(string Name, ArrayReply Info)> Infos, Dictionary<string, MapReply> Docs) LoadMetadata()
    {
        var data = ReadResource("redis-commands.resp", out _);
        int offset = 0;
        var infos = ((ArrayReply)ReplyParser.Parse(data, ref offset)).Items.Cast<ArrayReply>().Select(i => (Name: NameOf(i), Info: i)).ToList();
        var docs = (MapReply)ReplyParser.Parse(data, ref offset);
        var docsByName = new Dictionary<string, MapReply>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i + 1 < docs.KeysAndValues.Length; i += 2)
        {
            docsByName[Encoding.UTF8.GetString(((BulkReply)docs.KeysAndValues[i]).Value)] = (MapReply)docs.KeysAndValues[i + 1];
        }

        // Subcommands newer than the harvested version, added to their containers' entries.
        var supplement = ReadResource("supplement-commands.resp", out _);
        offset = 0;
        foreach (var triple in ((ArrayReply)ReplyParser.Parse(supplement, ref offset)).Items.Cast<ArrayReply>())
        {
            string container = Encoding.UTF8.GetString(((BulkReply)triple.Items[0]).Value);
            var subInfo = (ArrayReply)triple.Items[1];
            int index = infos.FindIndex(i => i.Name == container);
            var info = infos[index].Info;
            infos[index] = (container, new ArrayReply([.. info.Items[..9], new SetReply([.. Items(info.Items[9]), subInfo])]));
            var containerDocs = docsByName[container];
            var subDocs = (MapReply)Lookup(containerDocs, "subcommands")!;
            var merged = new MapReply([.. subDocs.KeysAndValues, subInfo.Items[0], triple.Items[2]]);
            docsByName[container] = new MapReply(containerDocs.KeysAndValues.Select(r => ReferenceEquals(r, subDocs) ? merged : r).ToArray());
        }

        // Our own commands, described the same way.
        foreach (var (name, info, commandDocs) in Metadata.OwnCommands.All())
        {
            infos.Add((name, info));
            docsByName[name] = commandDocs;
        }

        return (infos, docsByName);
    }

    private static byte[] ReadResource(string name, out string header)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var data = memory.ToArray();
        int headerEnd = data.AsSpan().IndexOf("\r\n"u8);
        header = Encoding.ASCII.GetString(data, 0, headerEnd);
        return data[(headerEnd + 2)..];
    }
}
