using Akka.Actor;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Hosting.Cluster;

namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>
/// A worker node of a sweep across hosts (started by <see cref="ClusterBootstrap"/>): a <see cref="SweepWorkerActor"/>
/// at /user/sweep-worker pulls runs from the coordinator at <paramref name="seed"/>, one per free slot, runs each with
/// <paramref name="runOne"/> (plan run index → its folder, whether it ended normally, its error) and ships the folder
/// back. <see cref="Done"/> completes with null when the sweep is done, or with why this worker stopped.
/// </summary>
public sealed class SweepWorkerNode : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly TaskCompletionSource<string?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SweepWorkerNode(SeedNode seed, string fingerprint, ClusterOptions options, NodeEndpoint endpoint, int slots,
        Func<int, (string Folder, bool Ok, string? Error)> runOne)
    {
        long chunk = SweepCoordinatorNode.SweepChunkBytes(options);
        var node = ClusterNodeSettings.For(ClusterAkkaConfig.WorkerRole, endpoint, 1, chunk, options);
        var secret = ClusterCredentials.Secret(options);
        _system = ClusterBootstrap.StartWorker(node, options.Tls, seed.Address, options.StartTimeout, "sweep", _done, system =>
        {
            var coordinator = system.ActorSelection(new RootActorPath(seed.Address) / "user" / "sweep");
            system.ActorOf(SweepWorkerActor.Props(new SweepWorkerSettings(coordinator, fingerprint, slots, chunk, runOne, options.RegisterRetry, _done) { Secret = secret }),
                "sweep-worker");
        });
    }

    /// <summary>This worker's own address (for the log).</summary>
    public string Address => ClusterBootstrap.AddressOf(_system).ToString();

    /// <summary>Completes with null when the sweep is done, or with why this worker stopped.</summary>
    public Task<string?> Done => _done.Task;

    public async ValueTask DisposeAsync() => await NodeShutdown.Stop(_system);
}
