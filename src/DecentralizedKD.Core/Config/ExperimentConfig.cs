using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Kinds;
using DecentralizedKD.Core.Topology.Schedules;

namespace DecentralizedKD.Core.Config;

/// <summary>
/// The fully resolved, validated experiment. Built by the HOCON loader (DecentralizedKD.Hosting); the core never
/// parses text itself so it stays free of Akka. Every closed set of words (mode, device, kinds) is an enum here,
/// parsed once when the config is loaded.
/// </summary>
public sealed record ExperimentConfig(
    string Name,
    ulong Seed,
    int Agents,
    int Rounds,
    int EvalEvery,
    RunMode Mode,
    DeviceSetting Device,
    int Threads,
    DatasetConfig Dataset,
    PartitionConfig Partition,
    TopologyConfig Topology,
    ModelConfig Model,
    OptimizerConfig Optimizer,
    AlgorithmConfig Algorithm,
    int CheckpointEvery,
    string OutputDir,
    double StepTimeS,
    double LatencyS,
    AsyncConfig Async)
{
    /// <summary>
    /// <c>eval.sample-agents</c>: how many learners each evaluation tests (a seeded sample, see
    /// <see cref="Metrics.EvaluationSample"/>); 0 = all of them.
    /// </summary>
    public int EvalSampleAgents { get; init; }

    /// <summary>Rounds after which an evaluation runs: every EvalEvery rounds, plus always the last round.</summary>
    public bool EvaluatesAfter(int completedRounds) =>
        completedRounds == Rounds || (EvalEvery > 0 && completedRounds % EvalEvery == 0);

    /// <summary>
    /// Agents the engine runs: <see cref="Agents"/> learners (clients), plus the server (id = Agents) for server-based
    /// methods. Per-agent arrays (bytes, final accuracies, agents.csv) have this length; accuracy and loss means are
    /// over the first <see cref="Agents"/>.
    /// </summary>
    public int AgentCount => Algorithm.HasServer ? Agents + 1 : Agents;
}

public sealed record ScheduleConfig(ScheduleKind Kind, int[] Milestones, double Gamma, int WarmupRounds, double WarmupFrom);

public sealed record OptimizerConfig(
    double Lr,
    double Momentum,
    bool Nesterov,
    double WeightDecay,
    int BatchSize,
    int LocalSteps,
    ScheduleConfig Schedule);

/// <summary>
/// The selected method (<c>algorithm.name</c>) and the typed settings of every registered method's section (each
/// section is read and range-checked whichever method runs, so a typo in one is never silently ignored).
/// </summary>
public sealed record AlgorithmConfig(AlgorithmDescriptor Descriptor, IReadOnlyList<object> Sections)
{
    public string Name => Descriptor.Name;

    /// <summary>Whether the method adds a server agent (id = number of clients) on a star.</summary>
    public bool HasServer => Descriptor.HasServer;

    /// <summary>The settings record of type <typeparamref name="T"/> (a descriptor's own section, or one it shares).</summary>
    public T Settings<T>() where T : class =>
        Sections.OfType<T>().FirstOrDefault()
        ?? throw new InvalidOperationException($"no {typeof(T).Name} was read: its descriptor is not registered");
}

/// <summary>Asynchronous-mode network, compute and churn settings (durations in seconds, bandwidth in bytes/s).</summary>
public sealed record AsyncConfig(
    LatencyKind LatencyDist,
    double LatencyValue,
    double LatencyMin,
    double LatencyMax,
    double LatencyMean,
    double LatencyMedian,
    double LatencySigma,
    double BandwidthBytesPerSecond,
    double Drop,
    int MaxStaleness,
    double WaitTimeoutS,
    double StragglerFraction,
    double StragglerSlowdown,
    ChurnKind ChurnKind,
    double ChurnPOffline,
    double ChurnPeriodS,
    string ChurnFile,
    string LinksFile);
