using Akka.Actor;
using Akka.Event;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// A process's coordinator-role node (first seed): the run actor, the coordinator and the averaged-model evaluator; no
/// agents. <see cref="Result"/> completes when the run ends (or cannot start).
/// </summary>
public sealed class CoordinatorNode : IAsyncDisposable
{
    private CoordinatorNode(ActorSystem system, Task<ClusterRunResult> result)
    {
        System = system;
        Result = result;
    }

    public ActorSystem System { get; }
    public Task<ClusterRunResult> Result { get; }

    /// <summary>The address workers join (its port is the bound one when the endpoint asked for port 0).</summary>
    public Address Address => ClusterBootstrap.AddressOf(System);

    /// <summary><see cref="Address"/> for callers that do not use Akka (dkd host).</summary>
    public SeedNode Seed => SeedNode.Of(Address);

    /// <param name="checkpoints">Where and how often to checkpoint (null = never): the coordinator node writes every
    /// file, the agents' included (they ship their state from the worker hosts). Synchronous mode only.</param>
    /// <param name="resumeFrom">Continue from this committed checkpoint of <paramref name="checkpoints"/>: the coordinator
    /// restores this state and each worker host gets its agents' state files over the wire before it creates them.</param>
    /// <param name="events">Asynchronous mode: also gets every observation (events.jsonl), in the single-process order.</param>
    public static CoordinatorNode Start(HostProcess process, ClusterOptions options, string fingerprint, NodeEndpoint endpoint, IRunObserver? observer = null,
        RunCheckpoints? checkpoints = null, CoordinatorState? resumeFrom = null, IAsyncObserver? events = null)
    {
        var c = process.Plan.Config;
        // Also a stage of the coordinator's validation; checked again for callers that start a node directly.
        ClusterStage.Check(c, options, checkpoints is not null);
        var secret = ClusterCredentials.Secret(options);
        bool async = c.Mode == RunMode.Async;
        long chunk = ClusterAkkaConfig.ChunkBytes(process.Plan, options);
        var node = ClusterNodeSettings.For(ClusterAkkaConfig.CoordinatorRole, endpoint, AkkaSettings.ComputeThreads(c.Threads), chunk, options);
        var settings = new CoordinatorSettings(c.AgentCount, c.Rounds, process.Plan.NeighbourLists, c.EvaluatesAfter, process.Plan.VirtualTimeAfter, checkpoints, resumeFrom, c.Agents)
            { AverageModels = !process.Plan.ModelsDiffer };
        var evaluator = async ? null : EvaluatorActor.Props(process.CreateEvaluator, AkkaSettings.ComputeDispatcher);
        var done = new TaskCompletionSource<ClusterRunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = new ClusterRunSettings(settings, evaluator, observer, options, fingerprint, chunk)
            { AsyncDriver = async ? AsyncClusterRun.Driver(process, observer, events) : null, Secret = secret };
        var system = ClusterBootstrap.StartCoordinator(node, options.Tls, system =>
        {
            if (ClusterCredentials.UnauthenticatedWarning(endpoint, secret) is { } warning) system.Log.Warning(warning);
            system.ActorOf(ClusterRunActor.Props(run, done), "run");
        });
        return new CoordinatorNode(system, done.Task);
    }

    public ValueTask DisposeAsync() => new(NodeShutdown.StopAfterWorkersLeave(System, () => Result.IsCompleted));
}
