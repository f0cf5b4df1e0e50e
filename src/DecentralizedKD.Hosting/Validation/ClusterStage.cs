using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Hosting.Cluster;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// The cluster coordinator's checks (<c>dkd host --role coordinator</c>, <c>./run.sh cluster</c>): what a run across
/// hosts supports, a worker count the placement can use, and this host's run secret and certificate — before any networking.
/// </summary>
public sealed class ClusterStage : IValidationStage
{
    public string Name => "cluster";

    public void Run(ValidationContext context)
    {
        Check(context.Config!, context.Cluster, context.Config!.CheckpointEvery > 0);
        // The run secret and the TLS certificate are read from this host's environment and disk: a missing variable,
        // file or wrong password stops the coordinator here, before its results directory exists.
        ClusterCredentials.Secret(context.Cluster);
        ClusterTlsSetup.For(context.Cluster.Tls)?.Certificate.Dispose();
    }

    public static void Check(ExperimentConfig c, ClusterOptions options, bool checkpoints)
    {
        CheckMode(c.Mode);
        bool async = c.Mode == RunMode.Async;
        if (async && checkpoints)
            throw new InputException("experiment.checkpoint.every: cluster runs checkpoint in mode = sync only; checkpoint an asynchronous run with dkd run");
        if (options.ContinuesOnHostLoss && async)
            throw new InputException("experiment.cluster.on-host-loss = continue: supported in mode = sync only (an asynchronous cluster run stops when a host is lost)");
        if (options.ContinuesOnHostLoss && checkpoints)
            throw new InputException("experiment.cluster.on-host-loss = continue cannot be combined with experiment.checkpoint.every > 0: " +
                "a checkpoint taken after a loss could not hold the lost agents' state");
        if (options.ContinuesOnHostLoss && !c.Topology.IsStatic)
            throw new InputException($"experiment.cluster.on-host-loss = continue: needs topology.schedule = static (a lost host's agents would keep being drawn as peers), got {c.Topology.Schedule}");
        Placement.Assign(c.Agents, options.Workers, options.Placement);
    }

    /// <summary>The one check a worker makes itself (the coordinator checks the rest for the whole run).</summary>
    public static void CheckMode(RunMode mode)
    {
        if (mode is not (RunMode.Sync or RunMode.Async))
            throw new InputException($"experiment.mode = {mode.Name()}: cluster runs support mode = sync or async (run realtime with dkd run)");
    }
}
