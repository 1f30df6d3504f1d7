namespace OrleansRedis.Bench.Floor;

/// <summary>
/// redis-benchmark's shape of load on <see cref="IFloorGrain"/>: <c>connections</c> callers,
/// each sending <c>pipeline</c> calls to random grains of <c>grains</c> at once and waiting for
/// all of them before the next round, until <c>calls</c> calls were made.
/// </summary>
public sealed record CallLoad(int Connections, int Pipeline, int Grains, long Calls)
{
    /// <summary>Makes the calls; returns how long they took.</summary>
    public async Task<TimeSpan> Run(IGrainFactory factory)
    {
        // References made once: the floor is the call, not finding the grain's type for each one.
        var grains = Enumerable.Range(0, Grains).Select(g => factory.GetGrain<IFloorGrain>(g)).ToArray();
        long remaining = Calls;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var round = new Task<int>[Pipeline];
            while (Interlocked.Add(ref remaining, -Pipeline) > -Pipeline)
            {
                for (int i = 0; i < Pipeline; i++)
                {
                    round[i] = grains[random.Next(Grains)].Echo(i).AsTask();
                }

                await Task.WhenAll(round);
            }
        })));
        return started.Elapsed;
    }

    /// <summary>Activates every grain once, so the measured calls find them active (as active keys).</summary>
    public static async Task Warm(IGrainFactory factory, int grains) =>
        await Task.WhenAll(Enumerable.Range(0, grains).Select(g => factory.GetGrain<IFloorGrain>(g).Echo(g).AsTask()));
}
