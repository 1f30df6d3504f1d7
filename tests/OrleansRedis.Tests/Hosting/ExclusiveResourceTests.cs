using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Hosting;

/// <summary>
/// One server per port and one process per data directory, with real processes: a second
/// server on a port or a directory that a running one uses exits 1 with a message naming it,
/// and the running one keeps its clients and its data. A killed server leaves no lock behind.
/// </summary>
public sealed class ExclusiveResourceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ASecondServerOnTheSameRespPortExits1NamingThePort()
    {
        await using var first = await ServerProcess.Start();
        using (var client = new RawClient(first.Port))
        {
            client.Call("SET", "mine", "1");
        }

        await using var second = ServerProcess.Launch(ServerProcess.NewDataDirectory(), "--port", first.Port.ToString());
        int exitCode = await second.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(second.Output);
        Assert.Equal(1, exitCode);
        Assert.Contains($"Could not create server TCP listening socket 127.0.0.1:{first.Port}: bind: Address already in use", second.Output);

        // Every connection still reaches the first server's keyspace.
        for (int i = 0; i < 20; i++)
        {
            using var client = new RawClient(first.Port);
            Assert.Equal(":1\r\n", client.Call("DBSIZE"));
        }
    }

    [Fact]
    public async Task AGatewayOnARespPortInUseExits1NamingThePort()
    {
        await using var silo = await ServerProcess.Start();
        await using var gateway = ServerProcess.LaunchGateway(silo.GatewayPort, "--port", silo.Port.ToString());
        int exitCode = await gateway.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(gateway.Output);
        Assert.Equal(1, exitCode);
        Assert.Contains($"Could not create server TCP listening socket 127.0.0.1:{silo.Port}: bind: Address already in use", gateway.Output);
    }

    [Theory]
    [InlineData("--silo-port", "silo")]
    [InlineData("--gateway-port", "Orleans gateway")]
    public async Task ASecondServerOnTheSameOrleansPortExits1NamingThePort(string flag, string what)
    {
        await using var first = await ServerProcess.Start();
        string port = flag == "--gateway-port" ? first.GatewayPort.ToString() : SiloPortOf(first);
        await using var second = ServerProcess.Launch(ServerProcess.NewDataDirectory(), flag, port);
        int exitCode = await second.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(second.Output);
        Assert.Equal(1, exitCode);
        Assert.Contains($"Could not listen on the {what} port {port}", second.Output);
        using var client = new RawClient(first.Port);
        Assert.Equal("+PONG\r\n", client.Call("PING"));
    }

    [Fact]
    public async Task ASecondServerOnTheSameDirectoryExits1NamingTheHolder()
    {
        await using var first = await ServerProcess.Start();
        await using var second = ServerProcess.Launch(first.Dir);
        int exitCode = await second.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(second.Output);
        Assert.Equal(1, exitCode);
        Assert.Contains($"The data directory {first.Dir} is in use by another OrleansRedis process (pid {first.ProcessId})", second.Output);
    }

    [Fact]
    public async Task AKilledServerLeavesNoLockBehind()
    {
        string dir = ServerProcess.NewDataDirectory();
        await using (var first = await ServerProcess.StartOn(dir))
        {
            using (var client = new RawClient(first.Port))
            {
                client.Call("SET", "kept", "1");
            }

            await first.Kill();
        }

        await using var again = await ServerProcess.StartOn(dir);
        using var reader = new RawClient(again.Port);
        Assert.Equal(":1\r\n", reader.Call("EXISTS", "kept"));
    }

    // The silo port the test helper gave the process (it passes it as --silo-port N).
    private static string SiloPortOf(ServerProcess process) => process.SiloPort.ToString();
}
