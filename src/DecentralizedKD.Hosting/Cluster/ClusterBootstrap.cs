using Akka.Actor;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// The one way a process becomes a cluster node — a run's coordinator and workers (<see cref="CoordinatorNode"/>,
/// <see cref="WorkerNode"/>) and a sweep's (<see cref="Sweeps.SweepCoordinatorNode"/>, <see cref="Sweeps.SweepWorkerNode"/>),
/// so <c>dkd host</c>, <c>./run.sh cluster</c> and cluster sweeps all start the same way: the actor system from
/// <see cref="ClusterAkkaConfig.ForNode(ClusterNodeSettings)"/> with the run's TLS setup (<see cref="ClusterTlsSetup"/>),
/// then the node's own actors, then joining. The coordinator is the first seed and joins itself; a worker first checks
/// that the seed speaks its protocol, watches the coordinator (never waiting forever) and joins it.
/// </summary>
public static class ClusterBootstrap
{
    /// <summary>A coordinator node: started, joined to itself, then <paramref name="spawn"/> creates its actors.</summary>
    public static ActorSystem StartCoordinator(ClusterNodeSettings node, ClusterTls tls, Action<ActorSystem> spawn)
    {
        var system = CreateSystem(node, tls);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.Join(cluster.SelfAddress);
        spawn(system);
        return system;
    }

    /// <summary>
    /// A worker node: <paramref name="spawn"/> creates its actors before it joins <paramref name="seed"/>.
    /// <paramref name="finished"/> gets why the worker stopped when the coordinator is lost or never shows up within
    /// <paramref name="startTimeout"/>, or when the actor system stops under it (downed: refused by the coordinator
    /// node, or by TLS) before the <paramref name="work"/> ("run", "sweep") ended.
    /// </summary>
    public static ActorSystem StartWorker(ClusterNodeSettings node, ClusterTls tls, Address seed, TimeSpan startTimeout, string work,
        TaskCompletionSource<string?> finished, Action<ActorSystem> spawn)
    {
        CheckSeedProtocol(seed, tls);
        var system = CreateSystem(node, tls);
        spawn(system);
        // A worker that is downed (e.g. refused by the coordinator node) stops its actor system: it must not wait forever.
        system.WhenTerminated.ContinueWith(_ => finished.TrySetResult(
            $"this worker's actor system stopped before the {work} ended (refused by the coordinator node or by TLS; see the lines above)"));
        system.ActorOf(CoordinatorWatchActor.Props(seed, startTimeout, finished), "watch");
        Akka.Cluster.Cluster.Get(system).JoinSeedNodes([seed]);
        return system;
    }

    /// <summary>The address this node advertises to the others (the bound port when the endpoint asked for port 0).</summary>
    public static Address AddressOf(ActorSystem system) => Akka.Cluster.Cluster.Get(system).SelfAddress;

    /// <summary>
    /// Starts a node's actor system (with TLS: its certificate handed to the transport); an address that cannot be
    /// bound (port in use, unknown host) or a certificate that cannot be loaded is an input error.
    /// </summary>
    private static ActorSystem CreateSystem(ClusterNodeSettings node, ClusterTls tls)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(ClusterAkkaConfig.ForNode(node));
        var setup = ClusterTlsSetup.For(tls) is { } ssl
            ? Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap, ssl)
            : Akka.Actor.Setup.ActorSystemSetup.Create(bootstrap);
        try { return ActorSystem.Create(ClusterAkkaConfig.SystemName, setup); }
        catch (Exception e) when (e is not Core.InputException)
        {
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            throw new Core.InputException($"cannot start a cluster node on {node.Endpoint.Hostname}:{node.Endpoint.Port}: {inner.Message}");
        }
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
}
