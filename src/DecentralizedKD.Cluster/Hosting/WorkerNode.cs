using Akka.Actor;
using DecentralizedKD.Actors.Cluster;
using DecentralizedKD.Cluster.Wire;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cluster.Hosting;

/// <summary>
/// A process's worker-role node: a <see cref="HostActor"/> at /user/host that creates the agents the coordinator
/// places here. <see cref="Finished"/> completes with null when the run ended normally, or with the reason it ended
/// otherwise (run error, coordinator lost, no coordinator within the start timeout).
/// </summary>
public sealed class WorkerNode : IAsyncDisposable
{
    private WorkerNode(ActorSystem system, Task<string?> finished)
    {
        System = system;
        Finished = finished;
    }

    public ActorSystem System { get; }
    public Task<string?> Finished { get; }
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    public static WorkerNode Start(ExperimentSetup setup, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, Address seed)
    {
        CoordinatorNode.CheckMode(setup.Config.Mode);
        long chunk = ClusterAkkaConfig.ChunkBytes(setup, options);
        var system = ClusterAkkaConfig.CreateSystem(endpoint,
            ClusterAkkaConfig.ForNode(ClusterAkkaConfig.WorkerRole, endpoint, AkkaSettings.ComputeThreads(setup.Config.Threads), chunk, options));
        var stats = WireStats.For(system);
        var finished = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<HostWireStats> wire = () => new HostWireStats(-1, stats.Sent, stats.Received);
        Action<string?> onFinished = error => finished.TrySetResult(error);
        system.ActorOf(setup.Config.Mode == "async"
            ? AsyncClusterRun.Host(setup, chunk, fingerprint, wire, onFinished)
            : HostActor.Props(new HostSettings(setup.CreateAgent, AkkaSettings.ComputeDispatcher, chunk, fingerprint, wire, onFinished)), "host");
        system.ActorOf(CoordinatorWatchActor.Props(seed, options.StartTimeout, finished), "watch");
        Akka.Cluster.Cluster.Get(system).JoinSeedNodes([seed]);
        return new WorkerNode(system, finished.Task);
    }

    public async ValueTask DisposeAsync() => await NodeShutdown.Stop(System);
}
