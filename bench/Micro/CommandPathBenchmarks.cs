using BenchmarkDotNet.Attributes;
using OrleansRedis.Abstractions.Commands;
using OrleansRedis.Grains.Commands;
using OrleansRedis.Grains.Keys;

namespace OrleansRedis.Bench.Micro;

/// <summary>The command path inside a key grain, without sockets or Orleans: what one grain call does.</summary>
[MemoryDiagnoser]
public class CommandPathBenchmarks
{
    private static readonly byte[] Key = "key:000000000001"u8.ToArray();
    private static readonly byte[] Value = "xxx"u8.ToArray();
    private readonly KeyState _string = new();
    private readonly KeyState _hash = new();
    private readonly KeyCommand _set = new(CommandId.Set, [Key, Value]);
    private readonly KeyCommand _get = new(CommandId.Get, [Key]);
    private readonly KeyCommand _incr = new(CommandId.Incr, [Key]);
    private readonly KeyCommand _hset = new(CommandId.HSet, [Key, "field"u8.ToArray(), Value]);

    [Benchmark]
    public object Set() => KeyCommandRunner.Run(_string, _set, 1);

    [Benchmark]
    public object Get() => KeyCommandRunner.Run(_string, _get, 1);

    [Benchmark]
    public object Incr()
    {
        KeyCommandRunner.Run(_string, _set, 1);
        return KeyCommandRunner.Run(_string, _incr, 1);
    }

    [Benchmark]
    public object HSet() => KeyCommandRunner.Run(_hash, _hset, 1);
}
