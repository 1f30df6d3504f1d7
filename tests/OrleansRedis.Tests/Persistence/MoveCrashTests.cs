using System.Net.Sockets;
using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Persistence;

/// <summary>
/// LMOVE, RPOPLPUSH and SMOVE change two keys; a crash may not leave an element in both or in
/// neither. Each round fills three lists and three sets with numbered elements, lets several
/// clients move elements between them at random, kills the process (<c>kill -9</c>) at a random
/// moment, restarts it on the same directory and counts: every element exactly once.
/// </summary>
[Collection(HeavyProcessCollection.Name)]
public sealed class MoveCrashTests(ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int Elements = 300;
    private const int Movers = 4;
    private static readonly string[] Lists = ["{q}a", "{q}b", "other"];
    private static readonly string[] Sets = ["{s}a", "{s}b", "elsewhere"];

    [Theory]
    [InlineData("always")]
    [InlineData("everysec")]
    public async Task Kill9WhileMovingLeavesEveryElementExactlyOnce(string fsync)
    {
        var random = new Random();
        for (int round = 1; round <= Rounds; round++)
        {
            string dir = ServerProcess.NewDataDirectory();
            long moves = 0;
            await using (var silo = await ServerProcess.StartOn(dir, "--appendfsync", fsync))
            {
                using (var setup = new RawClient(silo.Port))
                {
                    for (int i = 0; i < Elements; i++)
                    {
                        setup.Call("RPUSH", Lists[i % Lists.Length], $"l{i}");
                        setup.Call("SADD", Sets[i % Sets.Length], $"s{i}");
                    }
                }

                using var stop = new CancellationTokenSource();
                var movers = Enumerable.Range(0, Movers).Select(seed => Task.Run(() => Move(silo.Port, seed, () => Interlocked.Increment(ref moves), stop.Token))).ToList();
                await Task.Delay(random.Next(500, 2_500));
                await silo.Kill();
                stop.Cancel();
                await Task.WhenAll(movers);
            }

            await using var again = await ServerProcess.StartOn(dir);
            using var reader = new RawClient(again.Port);
            var listed = Lists.SelectMany(list => Items(reader.Call("LRANGE", list, "0", "-1"))).ToList();
            var members = Sets.SelectMany(set => Items(reader.Call("SMEMBERS", set))).ToList();
            output.WriteLine($"{fsync} round {round}: {moves} moves acknowledged; after restart {listed.Count} list elements, {members.Count} set members");
            Assert.True(moves > 100, $"too few moves to mean anything: {moves}");
            Assert.Equal(Expected("l"), Problems(listed, "l"));
            Assert.Equal(Expected("s"), Problems(members, "s"));
            await again.Kill();
        }
    }

    // Moves elements between the lists and between the sets, one command at a time, until the server goes away.
    private static void Move(int port, int seed, Action acknowledged, CancellationToken stop)
    {
        var random = new Random(seed);
        try
        {
            using var client = new RawClient(port);
            while (!stop.IsCancellationRequested)
            {
                string from = Lists[random.Next(Lists.Length)], to = Lists[random.Next(Lists.Length)];
                string reply = random.Next(4) switch
                {
                    0 => client.Call("RPOPLPUSH", from, to),
                    1 => client.Call("LMOVE", from, to, "LEFT", "RIGHT"),
                    2 => client.Call("LMOVE", from, to, "RIGHT", "RIGHT"),
                    _ => client.Call("SMOVE", Sets[random.Next(Sets.Length)], Sets[random.Next(Sets.Length)], $"s{random.Next(Elements)}"),
                };
                if (reply[0] is '-')
                {
                    throw new InvalidOperationException($"unexpected reply {reply}");
                }

                acknowledged();
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // The process was killed.
        }
    }

    private static string Expected(string prefix) => $"{prefix}: {Elements} distinct, none twice, none missing";

    // What a count of elements found says: the expected sentence, or which are twice and which missing.
    private static string Problems(List<string> found, string prefix)
    {
        var twice = found.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var missing = Enumerable.Range(0, Elements).Select(i => $"{prefix}{i}").Except(found).ToList();
        return twice.Count == 0 && missing.Count == 0
            ? Expected(prefix)
            : $"{prefix}: twice {string.Join(' ', twice)}; missing {string.Join(' ', missing)}";
    }

    // The bulk strings of an array reply.
    private static IEnumerable<string> Items(string reply) =>
        reply.Split("\r\n").Where((_, i) => i > 0 && i % 2 == 0).Where(item => item.Length > 0);
}
