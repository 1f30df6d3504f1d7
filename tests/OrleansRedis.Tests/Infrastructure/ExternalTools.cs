using System.Diagnostics;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// Finds and runs the Debian redis-tools programs (redis-cli, redis-benchmark, and the Redis
/// server binary, which redis-tools ships as redis-check-rdb), and tmux.
/// scripts/install-prerequisites.sh installs them.
/// </summary>
public static class ExternalTools
{
    private static readonly Lazy<string> RedisServerPath = new(FindRedisServer);

    /// <summary>The redis-server executable: from PATH, else a link named redis-server to redis-tools' redis-check-rdb.</summary>
    public static string RedisServer => RedisServerPath.Value;

    /// <summary>Runs a program to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> Run(
        string program, IEnumerable<string> args, string? input = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Require(program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in time");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The full path of <paramref name="program"/> on PATH; fails with how to install it.</summary>
    public static string Require(string program) =>
        Find(program) ?? throw new InvalidOperationException($"{program} is not installed: run scripts/install-prerequisites.sh (scripts/test.sh does).");

    private static string? Find(string program) =>
        Path.IsPathRooted(program) ? program
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static string FindRedisServer()
    {
        if (Find("redis-server") is { } server)
        {
            return server;
        }

        // Debian's redis-tools carries the server binary as redis-check-rdb; it runs as a server when called redis-server.
        string binary = Require("redis-check-rdb");
        string directory = Path.Combine(Path.GetTempPath(), "orleansredis-tools");
        Directory.CreateDirectory(directory);
        string link = Path.Combine(directory, "redis-server");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, binary);
        }

        return link;
    }
}
