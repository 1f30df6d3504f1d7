using OrleansRedis.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansRedis.Tests.Hosting;

/// <summary>
/// A Redis parameter given at start that OrleansRedis does not carry out (it would be accepted
/// and do nothing) stops the start with exit code 1 and a message naming it, as CONFIG SET
/// refuses it at run time; one it carries out, or a value equal to the default, starts.
/// </summary>
public sealed class StartSettingsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("hz", "50")]
    [InlineData("activedefrag", "yes")]
    [InlineData("save", "900 1")]
    [InlineData("list-max-listpack-size", "5")]
    public async Task AParameterThatWouldDoNothingStopsTheStart(string name, string value)
    {
        await using var silo = ServerProcess.Launch(ServerProcess.NewDataDirectory(), "--" + name, value);
        int exitCode = await silo.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine(silo.Output);
        Assert.Equal(1, exitCode);
        Assert.Contains($"OrleansRedis cannot start: {name}: not supported by OrleansRedis, it would have no effect", silo.Output);
    }

    [Fact]
    public async Task ParametersItCarriesOutOrLeavesAtTheirDefaultStart()
    {
        await using var silo = await ServerProcess.Start("--hz", "10", "--timeout", "300", "--set-max-intset-entries", "3");
        using var client = new RawClient(silo.Port);
        Assert.Equal("*2\r\n$7\r\ntimeout\r\n$3\r\n300\r\n", client.Call("CONFIG", "GET", "timeout"));
        client.Call("SADD", "s", "1", "2", "3", "4");
        Assert.Equal("$9\r\nhashtable\r\n", client.Call("OBJECT", "ENCODING", "s"));
    }
}
