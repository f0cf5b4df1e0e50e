using Akka.Actor;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Validation;
using DecentralizedKD.Hosting.Wire;

namespace DecentralizedKD.Hosting.Cluster;

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
    public Address Address => ClusterBootstrap.AddressOf(System);

    /// <summary><see cref="Address"/> as text, for callers that do not use Akka (dkd host's log).</summary>
    public string AddressText => Address.ToString();

    /// <summary>A worker of a run joining the coordinator at <paramref name="seed"/> (what <see cref="CoordinatorNode.Seed"/> says).</summary>
    public static WorkerNode Start(ExperimentSetup setup, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, SeedNode seed) =>
        Start(setup, options, fingerprint, endpoint, seed.Address);

    public static WorkerNode Start(ExperimentSetup setup, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, Address seed)
    {
        ClusterStage.CheckMode(setup.Config.Mode);
        // Going on without a lost host combines with the lost neighbours' last payloads: agents must keep them.
        if (options.ContinuesOnHostLoss) setup.KeepPayloadsAcrossIterations();
        var secret = ClusterCredentials.Secret(options);
        long chunk = ClusterAkkaConfig.ChunkBytes(setup, options);
        var node = ClusterNodeSettings.For(ClusterAkkaConfig.WorkerRole, endpoint, AkkaSettings.ComputeThreads(setup.Config.Threads), chunk, options);
        var finished = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var system = ClusterBootstrap.StartWorker(node, options.Tls, seed, options.StartTimeout, "run", finished, system =>
        {
            var stats = WireStats.For(system);
            Func<HostWireStats> wire = () => new HostWireStats(-1, stats.Sent, stats.Received);
            Action<string?> onFinished = error => finished.TrySetResult(error);
            Action<int[]> onAssigned = ids => UseHostSlots(setup, ids);
            var settings = new HostSettings(AkkaSettings.ComputeDispatcher, chunk, fingerprint, wire, onFinished, onAssigned) { Secret = secret };
            system.ActorOf(setup.Config.Mode == RunMode.Async ? AsyncClusterRun.Host(setup, settings) : HostActor.Props(setup.CreateAgent, settings), "host");
        });
        return new WorkerNode(system, finished.Task);
    }

    /// <summary>This host's k-th agent takes slot k, so each worker spreads its own agents evenly over its own GPUs.</summary>
    private static void UseHostSlots(ExperimentSetup setup, int[] agentIds)
    {
        var slots = agentIds.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
        setup.UseHostSlots(id => slots.TryGetValue(id, out int k) ? k : id);
    }

    public async ValueTask DisposeAsync() => await NodeShutdown.Stop(System);
}
