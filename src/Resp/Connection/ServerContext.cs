using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Resp.Commands;
using OrleansRedis.Resp.Config;
using OrleansRedis.Resp.Dispatch;
using OrleansRedis.Resp.PubSub;

namespace OrleansRedis.Resp.Connection;

/// <summary>What the connections of one RESP server share.</summary>
public sealed class ServerContext
{
    /// <summary>Creates the shared state of a RESP server that reaches grains through <paramref name="grains"/>.</summary>
    public ServerContext(IGrainFactory grains, ServerConfig config, string mode, ILoggerFactory loggerFactory, IIdleKeyCommands? idleKeys = null)
    {
        Grains = grains;
        IdleKeys = idleKeys;
        Config = config;
        Mode = mode;
        Logger = loggerFactory.CreateLogger("OrleansRedis.Resp");
        Commands = CommandTable.Create(CommandBindings.All);
        Nodes = new NodeDirectory(grains, Logger);
        Subscriptions = new SubscriptionRegistry();
        Blocked = new Blocking.BlockedClients(grains);
    }

    /// <summary>Grains: in-process in the embedded silo, through the cluster client in a gateway.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>The silo's commands on keys whose grains are not active (embedded only; null in a gateway).</summary>
    public IIdleKeyCommands? IdleKeys { get; }

    /// <summary>CONFIG GET/SET's parameters.</summary>
    public ServerConfig Config { get; }

    /// <summary>"embedded" (RESP inside a silo) or "gateway" (RESP in front of a cluster).</summary>
    public string Mode { get; }

    /// <summary>The command table.</summary>
    public CommandTable Commands { get; }

    /// <summary>The connected clients.</summary>
    public ClientRegistry Clients { get; } = new();

    /// <summary>The silos of the cluster and their node grains.</summary>
    public NodeDirectory Nodes { get; }

    /// <summary>This server's pub/sub subscriptions.</summary>
    public SubscriptionRegistry Subscriptions { get; }

    /// <summary>This server's clients blocked in BLPOP and the like.</summary>
    public Blocking.BlockedClients Blocked { get; }

    /// <summary>Counters INFO stats reports.</summary>
    public ServerStats Stats { get; } = new();

    /// <summary>When the server started.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>A random id for this run, as Redis's run_id.</summary>
    public string RunId { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    /// <summary>The TCP port actually bound (differs from the configured one when that is 0).</summary>
    public int BoundPort { get; internal set; }

    /// <summary>Diagnostics.</summary>
    public ILogger Logger { get; }

    /// <summary>Stops the process that hosts this server (SHUTDOWN); null where nothing hosts it.</summary>
    public Action? StopProcess { get; set; }

    /// <summary>Whether SHUTDOWN has been accepted: the process is on its way out.</summary>
    public bool ShuttingDown { get; set; }
}

/// <summary>Server-wide counters (INFO stats).</summary>
public sealed class ServerStats
{
    private long _connectionsReceived;
    private long _commandsProcessed;
    private long _netInputBytes;
    private long _netOutputBytes;
    private long _errorReplies;
    private long _rejectedConnections;
    private long _usedMemoryPeak;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _errorsByCode = new();

    /// <summary>Connections accepted since start.</summary>
    public long ConnectionsReceived => Interlocked.Read(ref _connectionsReceived);

    /// <summary>Commands run since start.</summary>
    public long CommandsProcessed => Interlocked.Read(ref _commandsProcessed);

    // instantaneous_ops_per_sec as Redis computes it: the average of the last 16 samples taken every 100 ms.
    private readonly long[] _opsSamples = new long[16];
    private int _sampleIndex;
    private long _lastSampleCount;
    private long _lastSampleTicks = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Commands per second over the last 1.6 s (INFO's instantaneous_ops_per_sec).</summary>
    public long InstantaneousOpsPerSecond
    {
        get
        {
            lock (_opsSamples)
            {
                return (long)_opsSamples.Average();
            }
        }
    }

    /// <summary>Takes one sample of the command rate; called every 100 ms.</summary>
    public void SampleOps()
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp(), count = CommandsProcessed;
        double seconds = (now - _lastSampleTicks) / (double)System.Diagnostics.Stopwatch.Frequency;
        lock (_opsSamples)
        {
            _opsSamples[_sampleIndex] = seconds > 0 ? (long)(Math.Max(0, count - _lastSampleCount) / seconds) : 0;
            _sampleIndex = (_sampleIndex + 1) % _opsSamples.Length;
        }

        (_lastSampleTicks, _lastSampleCount) = (now, count);
    }

    /// <summary>Bytes read from clients.</summary>
    public long NetInputBytes => Interlocked.Read(ref _netInputBytes);

    /// <summary>Bytes written to clients.</summary>
    public long NetOutputBytes => Interlocked.Read(ref _netOutputBytes);

    /// <summary>Connections refused because of maxclients.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    /// <summary>Counts a refused connection.</summary>
    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    /// <summary>The highest used_memory INFO has reported, counting <paramref name="used"/>.</summary>
    public long UsedMemoryPeak(long used)
    {
        long peak;
        while ((peak = Interlocked.Read(ref _usedMemoryPeak)) < used && Interlocked.CompareExchange(ref _usedMemoryPeak, used, peak) != peak)
        {
        }

        return Math.Max(peak, used);
    }

    /// <summary>Error replies sent since start.</summary>
    public long ErrorReplies => Interlocked.Read(ref _errorReplies);

    /// <summary>Error replies by their code (the first word: ERR, WRONGTYPE, …), as INFO errorstats.</summary>
    public IEnumerable<KeyValuePair<string, long>> ErrorsByCode => _errorsByCode.OrderBy(e => e.Key, StringComparer.Ordinal);

    /// <summary>Counts an error reply.</summary>
    public void ErrorReplied(string message)
    {
        Interlocked.Increment(ref _errorReplies);
        int space = message.IndexOf(' ');
        _errorsByCode.AddOrUpdate(space > 0 ? message[..space] : message, 1, (_, count) => count + 1);
    }

    /// <summary>Counts an accepted connection.</summary>
    public void ConnectionReceived() => Interlocked.Increment(ref _connectionsReceived);

    /// <summary>Counts commands.</summary>
    public void CommandProcessed(long count = 1) => Interlocked.Add(ref _commandsProcessed, count);

    /// <summary>Counts bytes read.</summary>
    public void Input(long bytes) => Interlocked.Add(ref _netInputBytes, bytes);

    /// <summary>Counts bytes written.</summary>
    public void Output(long bytes) => Interlocked.Add(ref _netOutputBytes, bytes);

    /// <summary>CONFIG RESETSTAT.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _commandsProcessed, 0);
        Interlocked.Exchange(ref _connectionsReceived, 0);
        Interlocked.Exchange(ref _netInputBytes, 0);
        Interlocked.Exchange(ref _netOutputBytes, 0);
        Interlocked.Exchange(ref _errorReplies, 0);
        Interlocked.Exchange(ref _rejectedConnections, 0);
        _errorsByCode.Clear();
    }
}

/// <summary>One command's counters.</summary>
public sealed class CommandStats
{
    private long _calls;
    private long _rejected;
    private long _failed;
    private long _ticks;

    /// <summary>Calls that ran.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Calls refused before running.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Calls that replied an error.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Time spent running the calls, in microseconds: from dispatch to reply, the grain call included.</summary>
    public long Microseconds => (long)(Interlocked.Read(ref _ticks) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Forgets the counts (CONFIG RESETSTAT).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _failed, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }

    /// <summary>Counts one call that took <paramref name="elapsedTicks"/> (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public void Count(bool rejected, bool failed, long elapsedTicks = 0)
    {
        if (rejected)
        {
            Interlocked.Increment(ref _rejected);
            return;
        }

        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _ticks, elapsedTicks);
        if (failed)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
