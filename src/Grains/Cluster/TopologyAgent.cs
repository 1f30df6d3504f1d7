using Microsoft.Extensions.Logging;
using OrleansRedis.Abstractions.Cluster;

namespace OrleansRedis.Grains.Cluster;

/// <summary>
/// Joins this node to the node set once its silo is active (a node already in the set just
/// catches up), and afterwards asks the coordinator to finish any change this node saw begin
/// but not end (the coordinator's silo may have crashed in the middle).
/// </summary>
public sealed partial class TopologyAgent(NodeTopology topology, IGrainFactory grains, ILogger<TopologyAgent> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>How long start-up waits for the first join before going on (the join continues in the background).</summary>
    public static TimeSpan JoinWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TopologyAgent), ServiceLifecycleStage.Active, OnStart, OnStop);

    private async Task OnStart(CancellationToken cancellationToken)
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = Task.Run(() => Run(joined));
        await Task.WhenAny(joined.Task, Task.Delay(JoinWait, cancellationToken));
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAny(_loop, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    private async Task Run(TaskCompletionSource joined)
    {
        var coordinator = grains.GetGrain<ITopologyGrain>(0);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (!joined.Task.IsCompleted)
                {
                    var set = await coordinator.Join(topology.Name);
                    LogJoined(logger, topology.Name, set.ToString());
                    joined.TrySetResult();
                }
                else if (topology.Current.Pending is not null)
                {
                    await coordinator.Settle();
                }
            }
            catch (Exception exception) when (!_stopping.IsCancellationRequested)
            {
                LogRetry(logger, exception, topology.Name);
            }

            try
            {
                await Task.Delay(CheckEvery, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is in the node set {NodeSet}")]
    private static partial void LogJoined(ILogger logger, string node, string nodeSet);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} could not settle the node set yet; retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, string node);
}
