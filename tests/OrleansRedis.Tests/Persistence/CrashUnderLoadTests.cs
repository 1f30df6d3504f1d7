using System.Net.Sockets;
using System.Text;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Persistence;

/// <summary>
/// Redis's durability contract under load: a reply is sent only once the write's record is in
/// the file, so killing the process (<c>kill -9</c>) loses no acknowledged write under any
/// <c>appendfsync</c> policy. Each round runs a mixed workload (pipelined SETs of new keys, one
/// INCR counter, one hash growing by one HSET at a time, a list by RPUSH, a set by pipelined
/// SADDs, a sorted set by ZADD) on the real server process, kills it
/// at a random moment, restarts it on the same directory and counts what was acknowledged and
/// what survived. The same workload against a real redis-server shows the count is Redis's.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class CrashUnderLoadTests(ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int SetWriters = 4;
    private const int Depth = 16;

    [Theory]
    [InlineData("always")]
    [InlineData("everysec")]
    [InlineData("no")]
    public async Task Kill9UnderMixedLoadLosesNoAcknowledgedWrite(string fsync)
    {
        var random = new Random();
        long totalAcked = 0;
        for (int round = 1; round <= Rounds; round++)
        {
            string dir = ServerProcess.NewDataDirectory();
            var killAfter = TimeSpan.FromMilliseconds(random.Next(1_000, 4_000));
            var result = await RunRound(
                async () =>
                {
                    var silo = await ServerProcess.StartOn(dir, "--appendfsync", fsync);
                    return (silo.Port, silo.Kill, silo.DisposeAsync);
                },
                killAfter);
            output.WriteLine($"{fsync} round {round}, kill after {killAfter.TotalMilliseconds} ms: {result}");
            Assert.True(result.Acknowledged > 500, $"too few writes acknowledged to mean anything: {result}");
            Assert.Equal(0, result.Lost);
            totalAcked += result.Acknowledged;
        }

        output.WriteLine($"{fsync}: {totalAcked} acknowledged writes over {Rounds} rounds, none lost");
    }

    [Fact]
    public async Task TheWorkloadLosesNothingOnARealRedisServerEither()
    {
        string dir = ServerProcess.NewDataDirectory();
        Directory.CreateDirectory(dir);
        var result = await RunRound(
            async () =>
            {
                var redis = new RedisServerProcess(["--appendonly", "yes", "--appendfsync", "everysec", "--aof-use-rdb-preamble", "no", "--dir", dir]);
                await redis.InitializeAsync();
                return (redis.Port, redis.DisposeAsync, () => ValueTask.CompletedTask);
            },
            TimeSpan.FromSeconds(2));
        output.WriteLine($"redis-server everysec: {result}");
        Assert.True(result.Acknowledged > 500);
        Assert.Equal(0, result.Lost);
    }

    /// <summary>What one round acknowledged and what did not survive the kill.</summary>
    private sealed record RoundResult(long Sets, long Increments, long HashFields, long LostSets, long LostIncrements, long LostHashFields, Collections Collections)
    {
        public long Acknowledged => Sets + Increments + HashFields + Collections.Acknowledged;

        public long Lost => LostSets + LostIncrements + LostHashFields + Collections.Lost;

        public override string ToString() =>
            $"acknowledged {Acknowledged} (SET {Sets}, INCR {Increments}, HSET {HashFields}, {Collections}), lost {Lost} (SET {LostSets}, INCR {LostIncrements}, HSET {LostHashFields}, {Collections.Losses})";
    }

    /// <summary>The list, set and sorted set writers' acknowledged and lost elements.</summary>
    private sealed record Collections(long Pushes, long Adds, long Scored, long LostPushes, long LostAdds, long LostScored)
    {
        public long Acknowledged => Pushes + Adds + Scored;

        public long Lost => LostPushes + LostAdds + LostScored;

        public string Losses => $"RPUSH {LostPushes}, SADD {LostAdds}, ZADD {LostScored}";

        public override string ToString() => $"RPUSH {Pushes}, SADD {Adds}, ZADD {Scored}";
    }

    // Starts a server, loads it until killAfter, kills it (SIGKILL), starts it again on the same data and counts.
    private static async Task<RoundResult> RunRound(Func<Task<(int Port, Func<Task> Kill, Func<ValueTask> Dispose)>> start, TimeSpan killAfter)
    {
        var setAcks = new long[SetWriters];
        long increments = 0, hashFields = 0, pushes = 0, adds = 0, scored = 0;
        var first = await start();
        try
        {
            using var stop = new CancellationTokenSource();
            var writers = new List<Task>();
            for (int w = 0; w < SetWriters; w++)
            {
                int writer = w;
                writers.Add(Task.Run(() => Write(first.Port, Depth, seq => ["SET", $"s:{writer}:{seq}", seq.ToString()], () => Interlocked.Increment(ref setAcks[writer]), stop.Token)));
            }

            writers.Add(Task.Run(() => Write(first.Port, 1, _ => ["INCR", "counter"], () => Interlocked.Increment(ref increments), stop.Token)));
            writers.Add(Task.Run(() => Write(first.Port, 1, seq => ["HSET", "hash", $"f{seq}", seq.ToString()], () => Interlocked.Increment(ref hashFields), stop.Token)));
            writers.Add(Task.Run(() => Write(first.Port, 1, seq => ["RPUSH", "list", $"e{seq}"], () => Interlocked.Increment(ref pushes), stop.Token)));
            writers.Add(Task.Run(() => Write(first.Port, 4, seq => ["SADD", "set", $"m{seq}"], () => Interlocked.Increment(ref adds), stop.Token)));
            writers.Add(Task.Run(() => Write(first.Port, 1, seq => ["ZADD", "zset", seq.ToString(), $"m{seq}"], () => Interlocked.Increment(ref scored), stop.Token)));
            await Task.Delay(killAfter);

            // The writers are still writing: some replies are in flight when the process dies.
            await first.Kill();
            stop.Cancel();
            await Task.WhenAll(writers);
        }
        finally
        {
            await first.Dispose();
        }

        var again = await start();
        try
        {
            using var reader = new LoadClient(again.Port);
            long lostSets = 0;
            for (int w = 0; w < SetWriters; w++)
            {
                lostSets += reader.CountMissing(Enumerable.Range(0, (int)setAcks[w]).Select(seq => $"s:{w}:{seq}").ToList(), keys => ["MGET", .. keys]);
            }

            long counter = long.Parse(reader.Call("GET", "counter") is var value && value.StartsWith('$') && !value.StartsWith("$-1") ? value.Split("\r\n")[1] : "0");
            long lostHash = reader.CountMissing(Enumerable.Range(0, (int)hashFields).Select(seq => $"f{seq}").ToList(), fields => ["HMGET", "hash", .. fields]);

            // Each RPUSH and SADD adds a new element and nothing removes any: fewer than acknowledged is a loss.
            long length = long.Parse(reader.Call("LLEN", "list")[1..]), cardinality = long.Parse(reader.Call("SCARD", "set")[1..]);
            long lostScored = reader.CountMissing(Enumerable.Range(0, (int)scored).Select(seq => $"m{seq}").ToList(), members => ["ZMSCORE", "zset", .. members]);
            var collections = new Collections(pushes, adds, scored, Math.Max(0, pushes - length), Math.Max(0, adds - cardinality), lostScored);
            return new RoundResult(setAcks.Sum(), increments, hashFields, lostSets, Math.Max(0, increments - counter), lostHash, collections);
        }
        finally
        {
            await again.Kill();
            await again.Dispose();
        }
    }

    // Sends commands `depth` at a time and counts each reply that acknowledges one (+OK or :n), until the server goes away or stop.
    private static void Write(int port, int depth, Func<long, string[]> command, Action acknowledged, CancellationToken stop)
    {
        try
        {
            using var client = new LoadClient(port);
            for (long seq = 0; !stop.IsCancellationRequested; seq += depth)
            {
                for (int i = 0; i < depth; i++)
                {
                    client.Send(command(seq + i));
                }

                client.Flush();
                for (int i = 0; i < depth; i++)
                {
                    string line = client.ReadLine();
                    if (line[0] is not ('+' or ':'))
                    {
                        throw new InvalidOperationException($"unexpected reply {line}");
                    }

                    acknowledged();
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // The process was killed.
        }
    }

    /// <summary>A buffered RESP connection for load: writes many commands, reads simple replies line by line.</summary>
    private sealed class LoadClient : IDisposable
    {
        private readonly TcpClient _tcp = new() { NoDelay = true };
        private readonly BufferedStream _out;
        private readonly StreamReader _in;

        public LoadClient(int port)
        {
            _tcp.Connect("127.0.0.1", port);
            var stream = _tcp.GetStream();
            stream.ReadTimeout = 30_000;
            _out = new BufferedStream(stream, 64 * 1024);
            _in = new StreamReader(stream, Encoding.UTF8, false, 64 * 1024);
        }

        public void Send(string[] args) => _out.Write(RawClient.Encode(args));

        public void Flush() => _out.Flush();

        public string ReadLine() => _in.ReadLine() ?? throw new IOException("closed");

        public string Call(params string[] args)
        {
            Send(args);
            Flush();
            string line = ReadLine();
            return line[0] == '$' && line != "$-1" ? $"{line}\r\n{ReadLine()}" : line;
        }

        // Asks for the names in chunks (MGET/HMGET) and counts the nils in the replies.
        public long CountMissing(List<string> names, Func<string[], string[]> ask)
        {
            long missing = 0;
            foreach (var chunk in names.Chunk(500))
            {
                Send(ask(chunk));
                Flush();
                string header = ReadLine();
                int count = int.Parse(header[1..]);
                for (int i = 0; i < count; i++)
                {
                    string line = ReadLine();
                    if (line == "$-1")
                    {
                        missing++;
                    }
                    else
                    {
                        ReadLine();
                    }
                }
            }

            return missing;
        }

        public void Dispose()
        {
            _tcp.Dispose();
        }
    }
}
