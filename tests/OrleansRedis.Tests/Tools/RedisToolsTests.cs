using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Tools;

/// <summary>The built embedded server, run as a user runs it and driven by redis-cli, redis-benchmark and an interactive redis-cli in tmux.</summary>
public sealed class RedisToolsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ServerProcess _silo = null!;

    public async Task InitializeAsync() => _silo = await ServerProcess.Start();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task RedisCliRunsTheEverydayCommands()
    {
        Assert.Equal("PONG", await Cli("PING"));
        Assert.Equal("OK", await Cli("SET", "cli:k", "hello"));
        Assert.Equal("hello", await Cli("GET", "cli:k"));
        Assert.Equal("2", await Cli("HSET", "cli:h", "a", "1", "b", "2"));
        Assert.Equal("a\n1\nb\n2", await Cli("HGETALL", "cli:h"));
        Assert.Equal("1", await Cli("EXPIRE", "cli:k", "100"));
        Assert.Equal("100", await Cli("TTL", "cli:k"));
        Assert.Equal("ERR unknown command 'NOPE', with args beginning with: 'x' ", await Cli("NOPE", "x"));
    }

    [Fact]
    public async Task RedisBenchmarkRunsToTheEndWithoutErrors()
    {
        // The default run: every test redis-benchmark has, lists, sets and sorted sets included.
        var (exitCode, text) = await ExternalTools.Run("redis-benchmark",
            ["-h", "127.0.0.1", "-p", _silo.Port.ToString(), "-n", "2000", "-c", "10", "-q"]);
        output.WriteLine(text);
        Assert.Equal(0, exitCode);
        string[] tests =
        [
            "PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN",
            "LPUSH (needed to benchmark LRANGE)", "LRANGE_100 (first 100 elements)", "LRANGE_300 (first 300 elements)", "LRANGE_500 (first 500 elements)",
            "LRANGE_600 (first 600 elements)", "MSET (10 keys)",
        ];
        foreach (var test in tests)
        {
            Assert.Contains(text.Split('\n'), line => line.TrimStart().StartsWith(test + ": ") && line.Contains("requests per second"));
        }

        Assert.DoesNotContain("error", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InteractiveRedisCliShowsCommandHints()
    {
        string session = $"hints{_silo.Port}";
        await ExternalTools.Run("tmux", ["new-session", "-d", "-s", session, "-x", "150", "-y", "5", $"{ExternalTools.Require("redis-cli")} -p {_silo.Port}"]);
        try
        {
            await Task.Delay(1000);
            await ExternalTools.Run("tmux", ["send-keys", "-t", session, "hset "]);
            string screen = "";
            for (int attempt = 0; attempt < 50 && !screen.Contains("key field value"); attempt++)
            {
                await Task.Delay(100);
                screen = (await ExternalTools.Run("tmux", ["capture-pane", "-p", "-t", session])).Output;
            }

            output.WriteLine(screen);
            Assert.Contains("hset key field value [field value ...]", screen);
        }
        finally
        {
            await ExternalTools.Run("tmux", ["kill-session", "-t", session]);
        }
    }

    [Fact]
    public async Task AGatewayProcessServesTheSameCommandsInFrontOfTheSilo()
    {
        await using var gateway = await ServerProcess.StartGateway(_silo.GatewayPort);
        Assert.Equal("OK", await Cli("SET", "gw:k", "through the silo"));
        var (_, viaGateway) = await ExternalTools.Run("redis-cli", ["-p", gateway.Port.ToString(), "GET", "gw:k"]);
        Assert.Equal("through the silo", viaGateway.TrimEnd('\n'));
        var (_, info) = await ExternalTools.Run("redis-cli", ["-p", gateway.Port.ToString(), "INFO", "server"]);
        Assert.Contains("orleans_redis_mode:gateway", info);
        Assert.Equal(0, await gateway.Terminate(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SigtermStopsTheServerCleanly()
    {
        Assert.Equal("OK", await Cli("SET", "term:k", "v"));
        Assert.Equal(0, await _silo.Terminate(TimeSpan.FromSeconds(30)));
    }

    private async Task<string> Cli(params string[] args)
    {
        var (exitCode, text) = await ExternalTools.Run("redis-cli", ["-p", _silo.Port.ToString(), .. args]);
        Assert.Equal(0, exitCode);
        return text.TrimEnd('\n');
    }
}
