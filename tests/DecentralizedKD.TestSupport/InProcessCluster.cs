using DecentralizedKD.Actors;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;

namespace DecentralizedKD.TestSupport;

/// <summary>
/// A real cluster in this process, the only way tests start one: a coordinator node and worker nodes, each its own
/// ActorSystem on 127.0.0.1 with a port the OS picks, the workers joining the coordinator. <see cref="Start"/> starts
/// the coordinator and <c>experiment.cluster.workers</c> workers; <see cref="StartCoordinator"/> starts only the
/// coordinator, and the test adds workers (<see cref="AddWorker"/>, e.g. intruders started with another experiment or
/// secret) and kills them (<see cref="KillWorker"/>, a crashed host) as its scenario needs. Disposing stops every
/// worker, then the coordinator, each shutdown bounded by <see cref="NodeShutdown"/>.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly LoadedExperiment _loaded;
    private readonly HostProcess _setup;
    private readonly List<WorkerNode> _workers = [];

    private InProcessCluster(LoadedExperiment loaded, HostProcess setup, CoordinatorNode coordinator)
    {
        _loaded = loaded;
        _setup = setup;
        Coordinator = coordinator;
    }

    public CoordinatorNode Coordinator { get; }

    /// <summary>The worker nodes in the order they were added (not the placement's host order: see <see cref="WorkersInHostOrder"/>).</summary>
    public IReadOnlyList<WorkerNode> Workers => _workers;

    /// <summary>The workers as the coordinator orders its hosts (by address): element k runs host k's block of agents.</summary>
    public WorkerNode[] WorkersInHostOrder => _workers.OrderBy(w => w.Address, Akka.Cluster.Member.AddressOrdering).ToArray();

    /// <param name="workerSetups">One setup per worker, as with one process per host; default: all share <paramref name="setup"/>.</param>
    /// <param name="workerFingerprint">The experiment fingerprint the workers present; default: the loaded experiment's.</param>
    public static InProcessCluster Start(LoadedExperiment loaded, HostProcess setup, IRunObserver? observer = null,
        RunCheckpoints? checkpoints = null, CoordinatorState? resumeFrom = null, IAsyncObserver? events = null,
        IReadOnlyList<HostProcess>? workerSetups = null, string? workerFingerprint = null)
    {
        var cluster = StartCoordinator(loaded, setup, observer, checkpoints, resumeFrom, events);
        try
        {
            for (int k = 0; k < loaded.Cluster.Workers; k++)
                cluster.AddWorker(workerSetups?[k], fingerprint: workerFingerprint);
        }
        catch
        {
            // A worker that failed to start must not leave the others (and their ports and threads) behind. Off the
            // caller's synchronization context: the shutdown's continuations must not wait for the thread blocked here.
            Task.Run(() => cluster.DisposeAsync().AsTask()).GetAwaiter().GetResult();
            throw;
        }
        return cluster;
    }

    /// <summary>The coordinator node alone; its checks (TLS, checkpoints, async limits) throw here, as on a real host.</summary>
    public static InProcessCluster StartCoordinator(LoadedExperiment loaded, HostProcess setup, IRunObserver? observer = null,
        RunCheckpoints? checkpoints = null, CoordinatorState? resumeFrom = null, IAsyncObserver? events = null) =>
        new(loaded, setup, CoordinatorNode.Start(setup, loaded.Cluster, loaded.Fingerprint, new NodeEndpoint(), observer, checkpoints, resumeFrom, events));

    /// <summary>
    /// Starts one more worker node and joins it to the coordinator (or to <paramref name="seed"/>): by default with the
    /// cluster's setup and experiment; <paramref name="startedWith"/> gives another loaded experiment (its cluster
    /// options, secret and fingerprint), as a worker started with another config file would have. A worker whose own
    /// checks fail (a TLS mismatch with the seed) throws and is not added.
    /// </summary>
    public WorkerNode AddWorker(HostProcess? setup = null, LoadedExperiment? startedWith = null, string? fingerprint = null, Akka.Actor.Address? seed = null)
    {
        var experiment = startedWith ?? _loaded;
        var worker = WorkerNode.Start(setup ?? _setup, experiment.Cluster, fingerprint ?? experiment.Fingerprint, new NodeEndpoint(), seed ?? Coordinator.Address);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Stops a worker's ActorSystem at once, without leaving the cluster first: how a crashed host looks to the others.</summary>
    public Task KillWorker(WorkerNode worker) => worker.System.Terminate();

    /// <summary>The run's result, or a failure after <paramref name="seconds"/> (a hang guard, not a timing check).</summary>
    public Task<ClusterRunResult> Result(int seconds = 120) => Bounded.Within(Coordinator.Result, "the cluster run to end", seconds);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_workers.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        await Coordinator.DisposeAsync().ConfigureAwait(false);
    }
}
