using OrleansRedis.Tests.Infrastructure;
using Xunit;

namespace OrleansRedis.Tests.Cluster;

/// <summary>docker-compose.yml is valid (docker-compose config) and describes the documented topology.</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task TheComposeFileIsValidAndHasTheDocumentedTopology()
    {
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var (exitCode, output) = await ExternalTools.Run("docker-compose", ["--project-directory", root, "-f", Path.Combine(root, "docker-compose.yml"), "config"]);
        Assert.True(exitCode == 0, output);

        var (_, services) = await ExternalTools.Run("docker-compose", ["--project-directory", root, "-f", Path.Combine(root, "docker-compose.yml"), "config", "--services"]);
        Assert.Equal(["gateway1", "gateway2", "postgres", "silo1", "silo2", "silo3"], services.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        // Two gateways on 6379 and 6380; each silo its own volume and stable name; PostgreSQL membership with our schema.
        Assert.Contains("published: 6379", output);
        Assert.Contains("published: 6380", output);
        foreach (string silo in new[] { "silo1", "silo2", "silo3" })
        {
            Assert.Contains($"- {silo}-data:/data", output);
            Assert.Contains($"- --node-name\n    - {silo}", output);
        }

        Assert.Contains("orleans-clustering.sql", output);
        Assert.Equal(5, output.Split("- --clustering\n    - postgres").Length - 1);
    }
}
