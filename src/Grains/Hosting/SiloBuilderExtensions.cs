using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansRedis.Abstractions.Grains;
using OrleansRedis.Abstractions.Hosting;
using OrleansRedis.Grains.Cluster;
using OrleansRedis.Grains.Keys;
using OrleansRedis.Grains.Memory;
using OrleansRedis.Grains.Node;
using OrleansRedis.Grains.Persistence;
using OrleansRedis.Grains.Placement;

namespace OrleansRedis.Grains.Hosting;

/// <summary>Adds what OrleansRedis's grains need to a silo.</summary>
public static class SiloBuilderExtensions
{
    // Grain locations Orleans keeps in its directory cache (see AddOrleansRedisGrains).
    private const int DirectoryCacheSize = 16_384;

    /// <summary>
    /// Registers the placement directors, the node's key index and its append-only file
    /// (loaded before the silo accepts grain calls). <paramref name="keyIdleTimeout"/> is how
    /// long a key grain stays active unused before it is deactivated (only with the AOF on:
    /// without it, a key grain stays active while its key exists).
    /// </summary>
    public static ISiloBuilder AddOrleansRedisGrains(this ISiloBuilder silo, AofSettings? aof = null, TimeSpan? keyIdleTimeout = null)
    {
        var settings = aof ?? new AofSettings();
        return silo.AddOrleansRedisGrains(_ => settings, keyIdleTimeout);
    }

    /// <summary>
    /// As <see cref="AddOrleansRedisGrains(ISiloBuilder, AofSettings?, TimeSpan?)"/>, with the AOF's
    /// settings made per silo (several silos in one process, each with its own data directory).
    /// </summary>
    public static ISiloBuilder AddOrleansRedisGrains(this ISiloBuilder silo, Func<IServiceProvider, AofSettings> aof, TimeSpan? keyIdleTimeout = null)
    {
        silo.AddPlacementDirector<SlotPlacement, SlotPlacementDirector>();
        silo.AddPlacementDirector<NodePlacement, NodePlacementDirector>();
        silo.Services.AddSingleton<NodeKeyIndex>();
        silo.Services.AddSingleton<NodeStats>();
        silo.Services.TryAddSingleton<LoadingProgress>();
        silo.Services.AddSingleton(aof);
        silo.Services.AddSingleton<AppendOnlyFile>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AofLoader>();
        silo.Services.AddSingleton<NodeTopology>();
        silo.Services.TryAddSingleton<MemorySettings>();
        silo.Services.TryAddSingleton<EncodingSettings>();
        silo.Services.TryAddSingleton<Notifications.NotificationSettings>();
        silo.Services.AddSingleton<IdleKeyDeletion>();
        silo.Services.AddSingleton<IIdleKeyCommands, IdleKeyCommands>();
        silo.Services.AddSingleton<Evictor>();
        silo.Services.AddSingleton<AllocationPacer>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AllocationPacerParticipant>();
        silo.Services.AddSingleton<ActiveExpiry>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<ActiveExpiry>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TopologyAgent>();
        // Orleans caches a directory entry per grain it has located (a million by default, each
        // some hundreds of bytes), kept after the grain is gone: with one grain per key that is a
        // second copy of the keyspace. Keys are placed by slot on their owner, so a smaller cache
        // costs only remote lookups of keys not used lately.
        silo.Configure<GrainDirectoryOptions>(options => options.CacheSize = DirectoryCacheSize);
        var idle = keyIdleTimeout ?? TimeSpan.FromMinutes(2);
        silo.Configure<GrainCollectionOptions>(options =>
        {
            options.ClassSpecificCollectionAge[typeof(KeyGrain).FullName!] = idle;
            options.CollectionQuantum = TimeSpan.FromTicks(Math.Min(options.CollectionQuantum.Ticks, idle.Ticks / 2));
        });
        return silo;
    }

    // Loads the AOF before the silo becomes active, so no key grain activates before its records are indexed.
    private sealed class AofLoader(AppendOnlyFile aof) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle)
        {
            // The first thing to stop (stages stop last to first): from here the AOF reports what is still queued.
            lifecycle.Subscribe(nameof(AofLoader), ServiceLifecycleStage.Last, _ => Task.CompletedTask, _ =>
            {
                if (aof.Enabled)
                {
                    aof.ReportProgressWhileStopping();
                }

                return Task.CompletedTask;
            });
            lifecycle.Subscribe(nameof(AofLoader), ServiceLifecycleStage.ApplicationServices, _ =>
            {
                try
                {
                    aof.Load();
                }
                catch (InvalidDataException damaged)
                {
                    // A damaged file is the user's to fix (redis-check-aof, --check-aof --fix), not a crash.
                    throw new StartupException(damaged.Message, damaged);
                }

                return Task.CompletedTask;
            }, _ =>
            {
                aof.Dispose();
                return Task.CompletedTask;
            });
        }
    }

    // Paces young collections under maxmemory while the silo runs.
    private sealed class AllocationPacerParticipant(AllocationPacer pacer) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(AllocationPacerParticipant), ServiceLifecycleStage.Active, _ =>
            {
                pacer.Start();
                return Task.CompletedTask;
            }, _ =>
            {
                pacer.Stop();
                return Task.CompletedTask;
            });
    }
}
