using DecentralizedKD.Actors;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.TestSupport;

/// <summary>
/// A real cluster in this process: a coordinator node and <c>experiment.cluster.workers</c> worker nodes, each its own
/// ActorSystem on 127.0.0.1 with a port the OS picks, the workers joining the coordinator. Disposing stops the workers,
/// then the coordinator, each shutdown bounded by <see cref="NodeShutdown"/>.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private InProcessCluster(CoordinatorNode coordinator, WorkerNode[] workers)
    {
        Coordinator = coordinator;
        Workers = workers;
    }

    public CoordinatorNode Coordinator { get; }

    /// <summary>The worker nodes in the order they were started (not the placement's host order: see <see cref="WorkersInHostOrder"/>).</summary>
    public WorkerNode[] Workers { get; }

    /// <summary>The workers as the coordinator orders its hosts (by address): element k runs host k's block of agents.</summary>
    public WorkerNode[] WorkersInHostOrder => Workers.OrderBy(w => w.Address, Akka.Cluster.Member.AddressOrdering).ToArray();

    /// <param name="workerSetups">One setup per worker, as with one process per host; default: all share <paramref name="setup"/>.</param>
    /// <param name="workerFingerprint">The experiment fingerprint the workers present; default: the loaded experiment's.</param>
    public static InProcessCluster Start(LoadedExperiment loaded, HostProcess setup, IRunObserver? observer = null,
        RunCheckpoints? checkpoints = null, CoordinatorState? resumeFrom = null, IAsyncObserver? events = null,
        IReadOnlyList<HostProcess>? workerSetups = null, string? workerFingerprint = null)
    {
        var coordinator = CoordinatorNode.Start(setup, loaded.Cluster, loaded.Fingerprint, new NodeEndpoint(), observer, checkpoints, resumeFrom, events);
        var workers = new List<WorkerNode>();
        try
        {
            for (int k = 0; k < loaded.Cluster.Workers; k++)
                workers.Add(WorkerNode.Start(workerSetups?[k] ?? setup, loaded.Cluster, workerFingerprint ?? loaded.Fingerprint, new NodeEndpoint(), coordinator.Address));
        }
        catch
        {
            // A worker that failed to start must not leave the others (and their ports and threads) behind. Off the
            // caller's synchronization context: the shutdown's continuations must not wait for the thread blocked here.
            var started = new InProcessCluster(coordinator, [.. workers]);
            Task.Run(() => started.DisposeAsync().AsTask()).GetAwaiter().GetResult();
            throw;
        }
        return new InProcessCluster(coordinator, [.. workers]);
    }

    /// <summary>The run's result, or a failure after <paramref name="seconds"/> (a hang guard, not a timing check).</summary>
    public Task<ClusterRunResult> Result(int seconds = 120) => Bounded.Within(Coordinator.Result, "the cluster run to end", seconds);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Workers.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        await Coordinator.DisposeAsync().ConfigureAwait(false);
    }
}
