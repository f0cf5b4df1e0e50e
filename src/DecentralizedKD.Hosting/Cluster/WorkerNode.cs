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
    private WorkerNode(ActorSystem system, Task<string?> finished, Task<HostProcess> placement)
    {
        System = system;
        Finished = finished;
        Placement = placement;
    }

    public ActorSystem System { get; }
    public Task<string?> Finished { get; }

    /// <summary>
    /// This process placed for the agents the coordinator assigned here (<see cref="HostProcess.ForHostAgents"/>), which
    /// builds every one of them; completes when the assignment arrives, before any agent exists.
    /// </summary>
    public Task<HostProcess> Placement { get; }
    public Address Address => ClusterBootstrap.AddressOf(System);

    /// <summary><see cref="Address"/> as text, for callers that do not use Akka (dkd host's log).</summary>
    public string AddressText => Address.ToString();

    /// <summary>A worker of a run joining the coordinator at <paramref name="seed"/> (what <see cref="CoordinatorNode.Seed"/> says).</summary>
    public static WorkerNode Start(HostProcess process, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, SeedNode seed) =>
        Start(process, options, fingerprint, endpoint, seed.Address);

    public static WorkerNode Start(HostProcess process, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, Address seed)
    {
        ClusterStage.CheckMode(process.Plan.Config.Mode);
        // Going on without a lost host combines with the lost neighbours' last payloads: agents must keep them.
        var here = options.ContinuesOnHostLoss ? process.KeepingPayloadsAcrossIterations() : process;
        var secret = ClusterCredentials.Secret(options);
        long chunk = ClusterAkkaConfig.ChunkBytes(process.Plan, options);
        var node = ClusterNodeSettings.For(ClusterAkkaConfig.WorkerRole, endpoint, AkkaSettings.ComputeThreads(process.Plan.Config.Threads), chunk, options);
        var finished = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var placed = new TaskCompletionSource<HostProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var system = ClusterBootstrap.StartWorker(node, options.Tls, seed, options.StartTimeout, "run", finished, system =>
        {
            var stats = WireStats.For(system);
            Func<HostWireStats> wire = () => new HostWireStats(-1, stats.Sent, stats.Received);
            Action<string?> onFinished = error => finished.TrySetResult(error);
            // The assignment says which agents this host holds, and so which GPU each gets: the host actor tells it
            // before it creates any agent, and every agent is built by this process placed for that assignment.
            Func<HostProcess> placement = () => placed.Task.IsCompletedSuccessfully ? placed.Task.Result
                : throw new InvalidOperationException("an agent was created before the host's assignment");
            Action<int[]> onAssigned = ids => placed.TrySetResult(here.ForHostAgents(ids));
            var settings = new HostSettings(AkkaSettings.ComputeDispatcher, chunk, fingerprint, wire, onFinished, onAssigned) { Secret = secret };
            system.ActorOf(process.Plan.Config.Mode == RunMode.Async
                ? AsyncClusterRun.Host(here, placement, settings)
                : HostActor.Props(id => placement().CreateAgent(id), settings), "host");
        });
        return new WorkerNode(system, finished.Task, placed.Task);
    }

    public async ValueTask DisposeAsync() => await NodeShutdown.Stop(System);
}
