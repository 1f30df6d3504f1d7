using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Hosting;
using OrleansRedis.Abstractions.Notifications;
using OrleansRedis.Abstractions.Replies;
using OrleansRedis.Abstractions.Text;

namespace OrleansRedis.Resp.Config;

/// <summary>
/// The server's configuration as CONFIG GET/SET see it: every parameter Redis 7 has, with
/// Redis's default unless OrleansRedis sets its own. Any parameter can also be given the way
/// .NET applications take settings: <c>--port 6380</c> on the command line, a <c>Redis</c>
/// section in appsettings.json, or <c>Redis__port</c> in the environment.
/// </summary>
public sealed class ServerConfig
{
    // Parameters that only take effect at start, as in Redis (plus the listener's port and bind, which we do not rebind).
    private static readonly HashSet<string> Immutable = new(StringComparer.OrdinalIgnoreCase)
    {
        "databases", "daemonize", "io-threads", "logfile", "pidfile", "supervised", "unixsocket", "unixsocketperm",
        "cluster-enabled", "aclfile", "appenddirname", "port", "bind", "tls-port", "set-proc-title", "syslog-enabled",
    };

    // The parameters whose change at run time OrleansRedis carries out as Redis does; CONFIG SET
    // refuses to change any other (it would be accepted and do nothing). The rest are read at
    // start (flags, appsettings) or only reported.
    private static readonly HashSet<string> Settable = new(StringComparer.OrdinalIgnoreCase)
    {
        "requirepass", "maxclients", "timeout", "protected-mode", "maxmemory", "maxmemory-policy", "maxmemory-samples",
        "client-output-buffer-limit", "proto-max-bulk-len", "appendfsync", "auto-aof-rewrite-percentage",
        "auto-aof-rewrite-min-size", "notify-keyspace-events", "hash-max-listpack-entries", "hash-max-listpack-value",
        "hash-max-ziplist-entries", "hash-max-ziplist-value", "set-max-intset-entries", "zset-max-listpack-entries",
        "zset-max-listpack-value", "zset-max-ziplist-entries", "zset-max-ziplist-value",
    };

    // Redis 7's old names of parameters, each the same parameter as its new name: setting one sets both.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hash-max-ziplist-entries"] = "hash-max-listpack-entries",
        ["hash-max-listpack-entries"] = "hash-max-ziplist-entries",
        ["hash-max-ziplist-value"] = "hash-max-listpack-value",
        ["hash-max-listpack-value"] = "hash-max-ziplist-value",
        ["zset-max-ziplist-entries"] = "zset-max-listpack-entries",
        ["zset-max-listpack-entries"] = "zset-max-ziplist-entries",
        ["zset-max-ziplist-value"] = "zset-max-listpack-value",
        ["zset-max-listpack-value"] = "zset-max-ziplist-value",
        ["list-max-ziplist-size"] = "list-max-listpack-size",
        ["list-max-listpack-size"] = "list-max-ziplist-size",
    };

    // Parameters Redis keeps as size_t counts: a negative one is out of range.
    private static readonly HashSet<string> Counts = new(StringComparer.OrdinalIgnoreCase)
    {
        "hash-max-listpack-entries", "hash-max-ziplist-entries", "set-max-intset-entries", "zset-max-listpack-entries", "zset-max-ziplist-entries",
    };

    // Parameters read at start only, which a flag, appsettings or the environment may set: the
    // rest (beyond Settable) would be accepted and do nothing, so the start refuses them.
    private static readonly HashSet<string> HonouredAtStart = new(StringComparer.OrdinalIgnoreCase)
    {
        "port", "bind", "dir", "databases", "appendonly", "appenddirname", "appendfilename", "aof-load-truncated",
    };

    /// <summary>Whether CONFIG SET may change <paramref name="name"/> (see docs/compatibility.md for the others).</summary>
    public static bool IsSettable(string name) => Settable.Contains(name);

    // Parameters Redis parses as memory sizes (with units), which word their parse error differently.
    private static readonly HashSet<string> MemorySizes = new(StringComparer.OrdinalIgnoreCase)
    {
        "maxmemory", "maxmemory-clients", "proto-max-bulk-len", "client-query-buffer-limit", "repl-backlog-size",
        "auto-aof-rewrite-min-size", "active-defrag-ignore-bytes", "hash-max-listpack-value", "hash-max-ziplist-value",
        "zset-max-listpack-value", "zset-max-ziplist-value", "stream-node-max-bytes",
    };

    private readonly ConcurrentDictionary<string, string> _values;
    private ParsedOutputLimits? _outputLimits;

    private ServerConfig(ConcurrentDictionary<string, string> values) => _values = values;

    /// <summary>Raised after CONFIG SET changed a parameter (name, new value), for the parts that apply settings at run time.</summary>
    public event Action<string, string>? Changed;

    /// <summary>The TCP port the RESP listener binds.</summary>
    public int Port => int.Parse(Get("port"), CultureInfo.InvariantCulture);

    /// <summary>The addresses the RESP listener binds (Redis's <c>bind</c>, space separated).</summary>
    public string[] BindAddresses => Get("bind").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The data directory.</summary>
    public string Dir => Get("dir");

    /// <summary>Number of databases SELECT accepts.</summary>
    public int Databases => int.Parse(Get("databases"), CultureInfo.InvariantCulture);

    /// <summary>The default user's password, empty when none is required.</summary>
    public string RequirePass => Get("requirepass");

    /// <summary>Most clients connected at once (<c>maxclients</c>).</summary>
    public long MaxClients => long.Parse(Get("maxclients"), CultureInfo.InvariantCulture);

    /// <summary>Redis's <c>maxmemory-policy</c> values, in the order its error message lists them.</summary>
    public static readonly string[] EvictionPolicies =
        ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"];

    /// <summary>maxmemory, maxmemory-policy and maxmemory-samples, as the nodes enforce them.</summary>
    public MemoryLimit MemoryLimit => new(
        long.Parse(Get("maxmemory"), CultureInfo.InvariantCulture),
        Get("maxmemory-policy"),
        int.Parse(Get("maxmemory-samples"), CultureInfo.InvariantCulture));

    /// <summary>The encoding thresholds the nodes convert collections by (OBJECT ENCODING, *SCAN paging).</summary>
    public EncodingThresholds EncodingThresholds => new(
        long.Parse(Get("hash-max-listpack-entries"), CultureInfo.InvariantCulture),
        long.Parse(Get("hash-max-listpack-value"), CultureInfo.InvariantCulture),
        long.Parse(Get("set-max-intset-entries"), CultureInfo.InvariantCulture),
        long.Parse(Get("zset-max-listpack-entries"), CultureInfo.InvariantCulture),
        long.Parse(Get("zset-max-listpack-value"), CultureInfo.InvariantCulture));

    /// <summary>Whether <paramref name="name"/> is one of the encoding thresholds (see <see cref="EncodingThresholds"/>).</summary>
    public static bool IsEncodingThreshold(string name) =>
        name.StartsWith("hash-max-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("zset-max-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("set-max-intset-entries", StringComparison.OrdinalIgnoreCase);

    /// <summary>The output buffer limit of normal clients, or of subscribers (<paramref name="subscriber"/>).</summary>
    public OutputBufferLimit OutputLimit(bool subscriber)
    {
        // Read for every reply: parsed once per value of the parameter, not per call.
        string value = Get("client-output-buffer-limit");
        var cached = _outputLimits;
        if (cached is null || !ReferenceEquals(cached.Value, value))
        {
            cached = new ParsedOutputLimits(value, OutputBufferLimit.Of(value, "normal"), OutputBufferLimit.Of(value, "pubsub"));
            _outputLimits = cached;
        }

        return subscriber ? cached.PubSub : cached.Normal;
    }

    /// <summary><c>protected-mode</c>: without a password, only loopback clients are accepted.</summary>
    public bool ProtectedMode => Get("protected-mode") == "yes";

    /// <summary>Seconds after which an idle client is closed, 0 for never (<c>timeout</c>).</summary>
    public long IdleTimeoutSeconds => long.Parse(Get("timeout"), CultureInfo.InvariantCulture);

    /// <summary><c>notify-keyspace-events</c>: which keyspace notifications are published.</summary>
    public KeyspaceEventFlags KeyspaceEvents => KeyspaceEventClasses.Parse(Get("notify-keyspace-events")) ?? KeyspaceEventFlags.None;

    /// <summary>Largest bulk string a client may send.</summary>
    public long ProtoMaxBulkLen => long.Parse(Get("proto-max-bulk-len"), CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds the configuration: Redis's defaults, then OrleansRedis's own, then
    /// <paramref name="overrides"/>, then whatever <paramref name="configuration"/> sets.
    /// </summary>
    public static ServerConfig Create(IConfiguration? configuration = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var values = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in LoadDefaults())
        {
            values[name] = value;
        }

        string defaultOutputLimits = values["client-output-buffer-limit"];
        values["bind"] = "127.0.0.1";
        values["dir"] = Path.GetFullPath("data");
        values["save"] = "";
        values["appendonly"] = "no";
        values["protected-mode"] = "yes";
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        if (configuration is not null)
        {
            foreach (var name in values.Keys.ToList())
            {
                if ((configuration[name] ?? configuration["Redis:" + name]) is { } configured)
                {
                    if (!HonouredAtStart.Contains(name) && !Settable.Contains(name) && configured != values[name])
                    {
                        throw new StartupException($"{name}: not supported by OrleansRedis, it would have no effect (see docs/compatibility.md)");
                    }

                    values[name] = configured;
                    if (Aliases.TryGetValue(name, out string? alias))
                    {
                        values[alias] = configured;
                    }
                }
            }
        }

        values["dir"] = Path.GetFullPath(values["dir"]);
        values["notify-keyspace-events"] = KeyspaceEventClasses.Parse(values["notify-keyspace-events"]) is { } events
            ? KeyspaceEventClasses.Format(events)
            : throw new ArgumentException($"notify-keyspace-events: invalid event class in '{values["notify-keyspace-events"]}'");

        // As CONFIG SET would store them: sizes in bytes, buffer limits merged into every class.
        foreach (string name in new[] { "maxmemory", "proto-max-bulk-len", "hash-max-listpack-value", "hash-max-ziplist-value", "zset-max-listpack-value", "zset-max-ziplist-value" })
        {
            if (TryParseMemory(values[name], out long bytes))
            {
                values[name] = bytes.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (OutputBufferLimit.TryMerge(defaultOutputLimits, values["client-output-buffer-limit"], out string limits, out _))
        {
            values["client-output-buffer-limit"] = limits;
        }

        return new ServerConfig(values);
    }

    /// <summary>A parameter's value.</summary>
    public string Get(string name) => _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException(name);

    /// <summary>Parameters whose names match any of <paramref name="patterns"/> (CONFIG GET), sorted by name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Match(IEnumerable<byte[]> patterns)
    {
        var list = patterns.ToList();
        return _values
            .Where(pair => list.Any(p => Glob.IsMatch(p, Encoding.UTF8.GetBytes(pair.Key), ignoreCase: true)))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal);
    }

    /// <summary>Sets parameters all at once (CONFIG SET), or none of them when one is rejected.</summary>
    public ErrorReply? TrySet(IReadOnlyList<(string Name, string Value)> pairs)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in pairs)
        {
            if (!_values.TryGetValue(name, out var current))
            {
                return Errors.UnknownConfigOption(name);
            }

            if (!seen.Add(name))
            {
                return SetFailed(name, "duplicate parameter");
            }

            if (Immutable.Contains(name))
            {
                return SetFailed(name, "can't set immutable config");
            }

            if (!Settable.Contains(name) && value != current)
            {
                return SetFailed(name, "not supported by OrleansRedis at run time, it would have no effect (see docs/compatibility.md)");
            }

            if (name.Equals("appendfsync", StringComparison.OrdinalIgnoreCase) && value is not ("always" or "everysec" or "no"))
            {
                return SetFailed(name, "argument(s) must be one of the following: always, everysec, no");
            }

            if (name.Equals("maxmemory-policy", StringComparison.OrdinalIgnoreCase) && !EvictionPolicies.Contains(value))
            {
                return SetFailed(name, $"argument(s) must be one of the following: {string.Join(", ", EvictionPolicies)}");
            }

            if (name.Equals("notify-keyspace-events", StringComparison.OrdinalIgnoreCase) && KeyspaceEventClasses.Parse(value) is null)
            {
                return SetFailed(name, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }

            if (name.Equals("client-output-buffer-limit", StringComparison.OrdinalIgnoreCase) && !OutputBufferLimit.TryMerge(current, value, out _, out string? limitError))
            {
                return SetFailed(name, limitError!);
            }

            if (current is "yes" or "no" && value is not ("yes" or "no"))
            {
                return SetFailed(name, "argument must be 'yes' or 'no'");
            }

            if (long.TryParse(current, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                // Only memory sizes take units; they are unsigned in Redis, so a negative one is not a memory value.
                bool memory = MemorySizes.Contains(name);
                long parsed;
                if (memory ? !TryParseMemory(value, out parsed) || parsed < 0 : !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed))
                {
                    return SetFailed(name, memory ? "argument must be a memory value" : "argument couldn't be parsed into an integer");
                }

                if (parsed < 0 && Counts.Contains(name))
                {
                    return SetFailed(name, "argument must be between 0 and 9223372036854775807 inclusive");
                }
            }
        }

        foreach (var (name, value) in pairs)
        {
            _values[name] = name.Equals("notify-keyspace-events", StringComparison.OrdinalIgnoreCase) ? KeyspaceEventClasses.Format(KeyspaceEventClasses.Parse(value)!.Value)
                : long.TryParse(_values[name], out _) && TryParseMemory(value, out long number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : name.Equals("client-output-buffer-limit", StringComparison.OrdinalIgnoreCase) && OutputBufferLimit.TryMerge(_values[name], value, out string merged, out _)
                    ? merged
                    : value;
            if (Aliases.TryGetValue(name, out string? alias))
            {
                _values[alias] = _values[name];
            }

            Changed?.Invoke(name, _values[name]);
        }

        return null;
    }

    /// <summary>Parses an integer with Redis's memory units (1k, 1kb, 1m, 1mb, 1g, 1gb).</summary>
    public static bool TryParseMemory(string text, out long value)
    {
        var units = new (string Suffix, long Factor)[] { ("kb", 1024), ("mb", 1024 * 1024), ("gb", 1024L * 1024 * 1024), ("k", 1000), ("m", 1000 * 1000), ("g", 1000L * 1000 * 1000) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(text[..^suffix.Length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
            {
                value = number * factor;
                return true;
            }
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static ErrorReply SetFailed(string name, string reason) =>
        Errors.ConfigSetFailed(name, reason);

    private static IEnumerable<(string Name, string Value)> LoadDefaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("redis-config-defaults.tsv")
            ?? throw new InvalidOperationException("The config defaults resource is missing.");
        using var reader = new StreamReader(stream);
        var result = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            int tab = line.IndexOf('\t');
            if (tab > 0)
            {
                result.Add((line[..tab], line[(tab + 1)..]));
            }
        }

        return result;
    }

    // The parsed client-output-buffer-limit of one value of the parameter.
    private sealed record ParsedOutputLimits(string Value, OutputBufferLimit Normal, OutputBufferLimit PubSub);
}
