using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// The asynchronous-mode pieces of a cluster run: on the coordinator node, the driver with the metrics sink (the same
/// <see cref="AsyncMetrics"/> + <see cref="AsyncStats"/> + events.jsonl observers as the single-process run, fed the
/// same observations in the same order); on a worker, the host actor building its agents from the same world.
/// </summary>
public static class AsyncClusterRun
{
    /// <summary>The factory of the coordinator node's driver, for <see cref="ClusterRunSettings.AsyncDriver"/>.</summary>
    public static Func<IActorRef[], int[], TaskCompletionSource<RunResult>, Props> Driver(HostProcess process, IRunObserver? observer, IAsyncObserver? extra)
    {
        var c = process.Plan.Config;
        double lookahead = AsyncRun.Prepare(process).Lookahead;
        return (hosts, hostOfAgent, done) =>
        {
            var stats = new AsyncStats();
            // The averaged-model evaluator is created on the driver's compute thread at first use, disposed when it stops;
            // agents with different models have no averaged model to evaluate.
            var evaluator = process.Plan.ModelsDiffer ? null : new LazyEvaluator(process.CreateEvaluator);
            var metrics = new AsyncMetrics(c.AgentCount, evaluator, row =>
            {
                observer?.OnRoundCompleted(row.Round);
                observer?.OnMetrics(row);
            }, c.Agents);
            IAsyncObserver sink = extra is null ? new ObserverFanOut(metrics, stats) : new ObserverFanOut(metrics, stats, extra);
            var settings = new AsyncClusterDriverSettings(hosts, hostOfAgent, process.Plan.NeighbourLists, lookahead, sink, metrics.Finish,
                r => new RunResult(metrics.Rows, metrics.LastAccuracies, r.BytesPerAgent, r.BytesByKind, r.Error)
                {
                    Async = stats,
                    FinalAgentParameters = metrics.LastParameters,
                    Windows = new WindowCounts(r.Windows, r.ActiveAgentWindows, c.AgentCount),
                },
                evaluator);
            return AsyncClusterDriver.Props(settings, done, AkkaSettings.ComputeDispatcher);
        };
    }

    /// <summary>
    /// A worker's host actor for asynchronous mode, whose agents are built by <paramref name="placed"/>: this process
    /// placed for the host's assignment (known only once the coordinator sends it, before any agent is created).
    /// </summary>
    public static Props Host(HostProcess process, Func<HostProcess> placed, HostSettings settings)
    {
        var world = AsyncRun.Prepare(process);
        return AsyncHostActor.Props((i, observer) => (world with { Process = placed() }).CreateAgent(i, observer), settings);
    }
}
