using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Resp.Connection;
using OrleansRedis.Resp.Dispatch;

namespace OrleansRedis.Resp.Commands.Server;

/// <summary>Builds INFO's text: Redis's sections and the fields clients parse, with this server's values.</summary>
public static class InfoReport
{
    private static readonly string[] DefaultSections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];

    private static readonly string[] AllSections = [.. DefaultSections[..8], "commandstats", .. DefaultSections[8..], "nodes"];

    /// <summary>The INFO text for <paramref name="requested"/> sections (none means the default ones).</summary>
    public static async Task<string> Build(ServerContext server, IEnumerable<string> requested)
    {
        var names = requested.Select(s => s.ToLowerInvariant()).ToList();
        IEnumerable<string> sections = names.Count == 0 || names.Contains("default") ? DefaultSections
            : names.Any(n => n is "all" or "everything") ? AllSections
            : AllSections.Where(names.Contains);
        var text = new StringBuilder();

        // The memory and stats sections both need the nodes' memory: asked once per INFO.
        Task<NodeMemory[]>? memory = null;
        Task<NodeMemory[]> NodesMemory() => memory ??= server.Nodes.AskAll(node => node.Memory());
        foreach (var section in sections)
        {
            if (text.Length > 0)
            {
                text.Append("\r\n");
            }

            IEnumerable<(string, string)> fields;
            try
            {
                fields = await Fields(server, section, NodesMemory);
            }
            catch (NodeDownException) when (section == "keyspace" && names.Count != 1)
            {
                // INFO keyspace alone answers CLUSTERDOWN while a node is down; within a larger
                // INFO the section is empty rather than partial (INFO nodes says which node is down).
                fields = [];
            }

            text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section[1..]).Append("\r\n");
            foreach (var (field, value) in fields)
            {
                text.Append(field).Append(':').Append(value).Append("\r\n");
            }
        }

        return text.ToString();
    }

    private static async Task<IEnumerable<(string, string)>> Fields(ServerContext server, string section, Func<Task<NodeMemory[]>> nodesMemory) => section switch
    {
        "server" => await ServerFields(server),
        "clients" => ClientFields(server),
        "memory" => MemoryFields(server, await nodesMemory()),
        "persistence" => PersistenceFields(server, await server.Nodes.AskAll(node => node.Persistence())),
        "stats" => StatsFields(server, await nodesMemory()),
        "replication" => ReplicationFields(server),
        "cpu" => CpuFields(),
        "cluster" => [("cluster_enabled", "0")],
        "commandstats" => server.Commands.All.SelectMany(c => c.Subcommands.Values.Prepend(c))
            .Where(c => c.Stats.Calls + c.Stats.Rejected > 0)
            .Select(c => (
                $"cmdstat_{c.Name}",
                $"calls={Text(c.Stats.Calls)},usec={Text(c.Stats.Microseconds)},usec_per_call={PerCall(c.Stats)},rejected_calls={Text(c.Stats.Rejected)},failed_calls={Text(c.Stats.Failed)}"))
            .ToList(),
        "errorstats" => server.Stats.ErrorsByCode.Select(e => ($"errorstat_{e.Key}", $"count={Text(e.Value)}")).ToList(),
        "keyspace" => await KeyspaceFields(server),
        "nodes" => await NodeFields(server),
        _ => [],
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string PerCall(CommandStats stats) =>
        (stats.Calls == 0 ? 0.0 : (double)stats.Microseconds / stats.Calls).ToString("F2", CultureInfo.InvariantCulture);

    private static async Task<IEnumerable<(string, string)>> ServerFields(ServerContext server)
    {
        var uptime = DateTimeOffset.UtcNow - server.StartedAt;
        var silos = await server.Nodes.SiloNames();
        return
        [
            ("redis_version", ConnectionBindings.RedisVersion),
            ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", "0"),
            ("redis_build_id", "0"),
            ("redis_mode", "standalone"),
            ("os", $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}".ToLowerInvariant()),
            ("arch_bits", Environment.Is64BitProcess ? "64" : "32"),
            ("monotonic_clock", "POSIX clock_gettime"),
            ("multiplexing_api", "epoll"),
            ("atomicvar_api", "c11-builtin"),
            ("gcc_version", "0.0.0"),
            ("process_id", Text(Environment.ProcessId)),
            ("process_supervised", "no"),
            ("run_id", server.RunId),
            ("tcp_port", Text(server.BoundPort)),
            ("server_time_usec", Text((DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10)),
            ("uptime_in_seconds", Text((long)uptime.TotalSeconds)),
            ("uptime_in_days", Text((long)uptime.TotalDays)),
            ("hz", server.Config.Get("hz")),
            ("configured_hz", server.Config.Get("hz")),
            ("lru_clock", Text(DateTimeOffset.UtcNow.ToUnixTimeSeconds() & ((1 << 24) - 1))),
            ("executable", Environment.ProcessPath ?? ""),
            ("config_file", ""),
            ("io_threads_active", "0"),
            ("orleans_redis_mode", server.Mode),
            ("orleans_silos", Text(silos.Length)),
            ("dotnet_version", RuntimeInformation.FrameworkDescription),
        ];
    }

    private static IEnumerable<(string, string)> ClientFields(ServerContext server)
    {
        var clients = server.Clients.All.ToList();
        return
        [
            ("connected_clients", Text(clients.Count)),
            ("cluster_connections", "0"),
            ("maxclients", server.Config.Get("maxclients")),
            ("client_recent_max_input_buffer", Text(clients.Select(c => c.QueryBufferPeak).DefaultIfEmpty(0).Max())),
            ("client_recent_max_output_buffer", Text(clients.Select(c => c.OutputBufferBytes).DefaultIfEmpty(0).Max())),
            ("blocked_clients", Text(server.Blocked.Count)),
            ("tracking_clients", "0"),
            ("clients_in_timeout_table", "0"),
            ("pubsub_clients", Text(clients.Count(c => c.InSubscribeMode))),
        ];
    }

    // used_memory is what maxmemory limits: the keys' estimated bytes on every node (see
    // MemoryEstimate); the RSS and heap fields are this process's.
    private static IEnumerable<(string, string)> MemoryFields(ServerContext server, NodeMemory[] nodes)
    {
        long used = nodes.Sum(n => n.UsedBytes);
        var heap = GC.GetGCMemoryInfo();
        long managed = heap.HeapSizeBytes - heap.FragmentedBytes;
        using var process = Process.GetCurrentProcess();
        long rss = process.WorkingSet64;
        long peak = server.Stats.UsedMemoryPeak(used);
        long maxmemory = long.Parse(server.Config.Get("maxmemory"), CultureInfo.InvariantCulture);
        return
        [
            ("used_memory", Text(used)),
            ("used_memory_human", Human(used)),
            ("used_memory_rss", Text(rss)),
            ("used_memory_rss_human", Human(rss)),
            ("used_memory_peak", Text(peak)),
            ("used_memory_peak_human", Human(peak)),
            ("used_memory_dataset", Text(used)),
            ("used_memory_managed_heap", Text(managed)),
            ("total_system_memory", Text(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)),
            ("total_system_memory_human", Human(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)),
            ("maxmemory", Text(maxmemory)),
            ("maxmemory_human", Human(maxmemory)),
            ("maxmemory_policy", server.Config.Get("maxmemory-policy")),
            ("mem_fragmentation_ratio", (used == 0 ? 0 : (double)rss / used).ToString("F2", CultureInfo.InvariantCulture)),
            ("mem_allocator", "dotnet-gc"),
        ];
    }

    // No RDB, no fork: the rdb_* and cow fields say so (never saved; the last save time is the start, as Redis reports before its first save).
    private static IEnumerable<(string, string)> PersistenceFields(ServerContext server, NodePersistence[] nodes) =>
    [
        ("loading", "0"),
        ("async_loading", "0"),
        ("current_cow_peak", "0"),
        ("current_cow_size", "0"),
        ("current_fork_perc", "0.00"),
        ("current_save_keys_processed", "0"),
        ("current_save_keys_total", "0"),
        ("rdb_changes_since_last_save", "0"),
        ("rdb_bgsave_in_progress", "0"),
        ("rdb_last_save_time", Text(server.StartedAt.ToUnixTimeSeconds())),
        ("rdb_last_bgsave_status", "ok"),
        ("rdb_last_bgsave_time_sec", "-1"),
        ("rdb_current_bgsave_time_sec", "-1"),
        ("aof_enabled", nodes.Any(n => n.AofEnabled) ? "1" : "0"),
        ("aof_rewrite_in_progress", nodes.Any(n => n.RewriteInProgress) ? "1" : "0"),
        ("aof_rewrite_scheduled", "0"),
        ("aof_last_rewrite_time_sec", Text(nodes.Select(n => n.LastRewriteSeconds).DefaultIfEmpty(-1).Max())),
        ("aof_current_rewrite_time_sec", "-1"),
        ("aof_last_bgrewrite_status", nodes.All(n => n.LastRewriteOk) ? "ok" : "err"),
        ("aof_rewrites", Text(nodes.Sum(n => n.Rewrites))),
        ("aof_last_write_status", nodes.All(n => n.LastWriteOk) ? "ok" : "err"),
        ("aof_last_cow_size", "0"),
        ("module_fork_in_progress", "0"),
        ("module_fork_last_cow_size", "0"),
        ("aof_current_size", Text(nodes.Sum(n => n.AofCurrentSize))),
        ("aof_base_size", Text(nodes.Sum(n => n.AofBaseSize))),
        ("aof_pending_rewrite", "0"),
        ("aof_pending_bio_fsync", "0"),
        ("aof_delayed_fsync", "0"),
        ("orleans_active_key_grains", Text(nodes.Sum(n => n.ActiveKeyGrains))),
    ];

    private static IEnumerable<(string, string)> StatsFields(ServerContext server, NodeMemory[] nodes)
    {
        var stats = server.Stats;
        return
        [
            ("total_connections_received", Text(stats.ConnectionsReceived)),
            ("total_commands_processed", Text(stats.CommandsProcessed)),
            ("instantaneous_ops_per_sec", Text(stats.InstantaneousOpsPerSecond)),
            ("total_net_input_bytes", Text(stats.NetInputBytes)),
            ("total_net_output_bytes", Text(stats.NetOutputBytes)),
            ("rejected_connections", Text(stats.RejectedConnections)),
            ("expired_keys", Text(nodes.Sum(n => n.ExpiredKeys))),
            ("evicted_keys", Text(nodes.Sum(n => n.EvictedKeys))),
            ("keyspace_hits", Text(nodes.Sum(n => n.KeyspaceHits))),
            ("keyspace_misses", Text(nodes.Sum(n => n.KeyspaceMisses))),
            ("pubsub_channels", Text(server.Subscriptions.Channels().Length)),
            ("pubsub_patterns", Text(server.Subscriptions.Patterns().Length)),
            ("total_error_replies", Text(stats.ErrorReplies)),
        ];
    }

    private static IEnumerable<(string, string)> ReplicationFields(ServerContext server) =>
    [
        ("role", "master"),
        ("connected_slaves", "0"),
        ("master_failover_state", "no-failover"),
        ("master_replid", server.RunId),
        ("master_replid2", new string('0', 40)),
        ("master_repl_offset", "0"),
        ("second_repl_offset", "-1"),
        ("repl_backlog_active", "0"),
        ("repl_backlog_size", server.Config.Get("repl-backlog-size")),
        ("repl_backlog_first_byte_offset", "0"),
        ("repl_backlog_histlen", "0"),
    ];

    private static IEnumerable<(string, string)> CpuFields()
    {
        using var process = Process.GetCurrentProcess();
        return
        [
            ("used_cpu_sys", process.PrivilegedProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture)),
            ("used_cpu_user", process.UserProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture)),
            ("used_cpu_sys_children", "0.000000"),
            ("used_cpu_user_children", "0.000000"),
        ];
    }

    private static async Task<IEnumerable<(string, string)>> KeyspaceFields(ServerContext server)
    {
        var perNode = await server.Nodes.AskEveryNode(node => node.Keyspace());
        return perNode.SelectMany(stats => stats)
            .GroupBy(s => s.Db)
            .OrderBy(g => g.Key)
            .Select(g => ($"db{g.Key}", $"keys={Text(g.Sum(s => s.Keys))},expires={Text(g.Sum(s => s.Expires))},avg_ttl=0"))
            .ToList();
    }

    // Not Redis's: the node set's epoch, and which node owns how many of the 16384 slots and holds how many keys.
    private static async Task<IEnumerable<(string, string)>> NodeFields(ServerContext server)
    {
        var view = await ClusterView.Gather(server.Nodes);
        var fields = new List<(string, string)> { ("node_set_epoch", Text(view.Epoch)), ("node_set_pending_epoch", Text(view.PendingEpoch ?? 0)) };
        fields.AddRange(view.Nodes.Select((node, i) => (
            $"node{i}",
            $"name={node.Name},address={node.Address ?? "-"},state={(node.Address is null ? "down" : "up")},slots={Text(node.Slots)},keys={Text(node.Keys)}")));
        return fields;
    }

    // Redis's bytesToHuman: B, K, M, G with two decimals.
    private static string Human(long bytes) => bytes switch
    {
        < 1024 => $"{bytes}B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F2}K"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F2}M"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2}G"),
    };
}
