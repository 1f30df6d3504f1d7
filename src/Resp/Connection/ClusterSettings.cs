using Microsoft.Extensions.Configuration;

namespace OrleansRedis.Resp.Connection;

/// <summary>How silos find each other and gateways find silos: the Orleans clustering provider.</summary>
public enum ClusteringProvider
{
    /// <summary>Localhost clustering: one machine, the first silo is the primary (the embedded default, tests).</summary>
    Localhost,

    /// <summary>ADO.NET clustering on PostgreSQL (Npgsql): a real membership table (deploy/postgres/orleans-clustering.sql).</summary>
    Postgres,
}

/// <summary>
/// The clustering flags shared by silos and gateways: <c>--clustering localhost|postgres</c>,
/// <c>--postgres CONNECTION-STRING</c>, <c>--cluster-id ID</c> (default orleansredis).
/// </summary>
public sealed record ClusterSettings(ClusteringProvider Provider, string? ConnectionString, string ClusterId)
{
    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>Reads the flags from <paramref name="configuration"/>.</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var provider = (configuration["clustering"] ?? "localhost").ToLowerInvariant() switch
        {
            "localhost" => ClusteringProvider.Localhost,
            "postgres" or "postgresql" => ClusteringProvider.Postgres,
            var other => throw new ArgumentException($"--clustering must be localhost or postgres, not '{other}'."),
        };
        string? connection = configuration["postgres"];
        if (provider == ClusteringProvider.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException("--clustering postgres needs --postgres \"Host=…;Database=…;Username=…;Password=…\".");
        }

        return new ClusterSettings(provider, connection, configuration["cluster-id"] ?? "orleansredis");
    }
}
