using Xunit;

namespace OrleansRedis.Tests.Infrastructure;

/// <summary>
/// The tests that load real server processes hard (crash rounds, memory under load, the
/// local-process cluster): run one at a time, so that on a 2-core machine none starves another
/// past its timeouts. They still run alongside the lighter tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HeavyProcessCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "heavy real-process tests";
}
