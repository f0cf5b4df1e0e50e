namespace DecentralizedKD.Core.Config;

/// <summary>
/// The fully resolved, validated experiment (DESIGN.md §8). Built by the HOCON loader (DecentralizedKD.Cluster);
/// the core never parses text itself so it stays free of Akka.
/// </summary>
public sealed record ExperimentConfig(
    string Name,
    ulong Seed,
    int Agents,
    int Rounds,
    int EvalEvery,
    string Mode,
    string Device,
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

public sealed record DatasetConfig(
    string Name,
    string Path,
    double PublicFraction,
    bool Normalize,
    int TestSamples,
    int SyntheticTrainSize,
    int SyntheticTestSize,
    int SyntheticClasses,
    int[] SyntheticShape,
    double SyntheticSeparability);

public sealed record PartitionConfig(string Kind, double Alpha, int MinSamples, int ShardsPerAgent);

public sealed record TopologyConfig(string Kind, string Mixing, double Gamma, string File, double Probability, int Degree);

public sealed record ModelConfig(string Name, int Heads, int[] Hidden);

public sealed record ScheduleConfig(string Kind, int[] Milestones, double Gamma, int WarmupRounds, double WarmupFrom);

public sealed record OptimizerConfig(
    double Lr,
    double Momentum,
    bool Nesterov,
    double WeightDecay,
    int BatchSize,
    int LocalSteps,
    ScheduleConfig Schedule);

public sealed record AlgorithmConfig(string Name, string QgmVariant, double QgmMu, CclConfig Ccl, IdkdConfig Idkd, MhdConfig Mhd, FedDkdConfig FedDkd)
{
    /// <summary>Every value of <c>algorithm.name</c>.</summary>
    public static readonly string[] Names = ["local", "dpsgd", "qgm", "ccl", "idkd", "mhd", "fedavg", "feddkd"];

    /// <summary>FedAvg/FedDKD run a server agent (id = number of clients) on a star; all other methods are serverless.</summary>
    public bool HasServer => Name is "fedavg" or "feddkd";
}

/// <summary>Asynchronous-mode network, compute and churn settings (durations in seconds, bandwidth in bytes/s).</summary>
public sealed record AsyncConfig(
    string LatencyDist,
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
    string ChurnKind,
    double ChurnPOffline,
    double ChurnPeriodS,
    string ChurnFile,
    string LinksFile);
