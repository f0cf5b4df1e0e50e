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
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    public static WorkerNode Start(ExperimentSetup setup, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, Address seed)
    {
        ClusterStage.CheckMode(setup.Config.Mode);
        // Going on without a lost host combines with the lost neighbours' last payloads: agents must keep them.
        if (options.ContinuesOnHostLoss) setup.KeepPayloadsAcrossIterations();
        var secret = ClusterCredentials.Secret(options);
        CheckSeedProtocol(seed, options.Tls);
        long chunk = ClusterAkkaConfig.ChunkBytes(setup, options);
        var system = ClusterAkkaConfig.CreateSystem(endpoint,
            ClusterAkkaConfig.ForNode(ClusterAkkaConfig.WorkerRole, endpoint, AkkaSettings.ComputeThreads(setup.Config.Threads), chunk, options), options.Tls);
        var stats = WireStats.For(system);
        var finished = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<HostWireStats> wire = () => new HostWireStats(-1, stats.Sent, stats.Received);
        Action<string?> onFinished = error => finished.TrySetResult(error);
        Action<int[]> onAssigned = ids => UseHostSlots(setup, ids);
        var settings = new HostSettings(AkkaSettings.ComputeDispatcher, chunk, fingerprint, wire, onFinished, onAssigned) { Secret = secret };
        system.ActorOf(setup.Config.Mode == RunMode.Async ? AsyncClusterRun.Host(setup, settings) : HostActor.Props(setup.CreateAgent, settings), "host");
        // A worker that is downed (e.g. refused by the coordinator node) stops its actor system: it must not wait forever.
        system.WhenTerminated.ContinueWith(_ => finished.TrySetResult(
            "this worker's actor system stopped before the run ended (refused by the coordinator node or by TLS; see the lines above)"));
        system.ActorOf(CoordinatorWatchActor.Props(seed, options.StartTimeout, finished), "watch");
        Akka.Cluster.Cluster.Get(system).JoinSeedNodes([seed]);
        return new WorkerNode(system, finished.Task);
    }

    /// <summary>
    /// A TLS coordinator's address is akka.ssl.tcp://, a plain one's akka.tcp://: a worker whose own TLS setting does
    /// not match could never join, so it is told at once rather than after the start timeout.
    /// </summary>
    private static void CheckSeedProtocol(Address seed, ClusterTls tls)
    {
        const string ssl = "akka.ssl.tcp";
        if (seed.Protocol == ssl && !tls.Enabled)
            throw new Core.InputException($"seed node {seed}: the coordinator uses TLS ({ssl}) and this host does not: set experiment.cluster.tls " +
                                          "(dkd host --tls-cert FILE) with the run's certificate");
        if (seed.Protocol != ssl && tls.Enabled)
            throw new Core.InputException($"seed node {seed}: this host uses TLS (experiment.cluster.tls), so the coordinator's address starts with {ssl}:// " +
                                          "(the address it prints when it starts)");
    }

    /// <summary>This host's k-th agent takes slot k, so each worker spreads its own agents evenly over its own GPUs.</summary>
    private static void UseHostSlots(ExperimentSetup setup, int[] agentIds)
    {
        var slots = agentIds.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
        setup.UseHostSlots(id => slots.TryGetValue(id, out int k) ? k : id);
    }

    public async ValueTask DisposeAsync() => await NodeShutdown.Stop(System);
}
