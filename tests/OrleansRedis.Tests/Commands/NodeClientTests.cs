using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Commands;

/// <summary>
/// ioredis and node-redis from npm, unmodified (tests/node/clients.js): lists, sets, sorted
/// sets, moves and blocking pops woken from a second connection, against the 3-silo test
/// cluster's RESP server and against a real redis-server; every step's result must be the same.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeClientTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    [Fact]
    public async Task IoredisAndNodeRedisGetWhatRedisGives()
    {
        string script = await Installed();
        var (redisExit, redis) = await ExternalTools.Run("node", [script, fixture.Redis.Port.ToString()]);
        var (oursExit, ours) = await ExternalTools.Run("node", [script, fixture.Port.ToString()]);
        output.WriteLine(ours);
        Assert.Equal(0, redisExit);
        Assert.Equal(0, oursExit);
        var expected = redis.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var actual = ours.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(expected.Length > 20, redis);
        Assert.Equal(expected, actual);
    }

    // tests/node with its packages (npm ci, once per run); returns the script's path.
    private static async Task<string> Installed()
    {
        string directory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "node"));
        await Install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "ioredis")))
            {
                var (exit, log) = await ExternalTools.Run("npm", ["ci", "--prefix", directory, "--no-audit", "--no-fund"], timeout: TimeSpan.FromMinutes(5));
                Assert.True(exit == 0, log);
            }
        }
        finally
        {
            Install.Release();
        }

        return Path.Combine(directory, "clients.js");
    }
}
