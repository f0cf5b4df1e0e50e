using System.Globalization;
using System.Text;
using Akka.Configuration;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Text;
using HoconConfig = Akka.Configuration.Config;

namespace DecentralizedKD.Cluster.Config;

/// <summary>
/// Loads an experiment: embedded <c>hocon/defaults.conf</c> ← experiment file ← <c>--set key=value</c> overrides.
/// Every key is checked against the defaults (unknown key ⇒ error naming the nearest known key) and every value is
/// type- and range-checked here, up front, so a run never starts on a bad config.
/// </summary>
public static class ExperimentConfigLoader
{
    private const string Root = "experiment";

    /// <summary>Keys whose value is a list (needed because Akka's parser cannot tell an empty list from an empty value).</summary>
    private static readonly HashSet<string> ListKeys =
        ["experiment.model.hidden", "experiment.optimizer.schedule.milestones", "experiment.dataset.synthetic.shape",
         "experiment.algorithm.mhd.head-weights"];

    public static string DefaultsText { get; } = EmbeddedText.Read("DecentralizedKD.defaults.conf");

    public static LoadedExperiment Load(string? file, IEnumerable<string>? overrides = null)
    {
        var defaults = Parse(DefaultsText, "defaults.conf");
        var known = HoconTree.LeafPaths(defaults).ToHashSet(StringComparer.Ordinal);
        var layers = new List<HoconConfig>();
        if (file is not null)
        {
            if (!File.Exists(file)) throw new InputException($"config file '{file}' not found");
            var fromFile = Parse(File.ReadAllText(file), file);
            CheckKeys(fromFile, known, file);
            layers.Add(fromFile);
        }
        foreach (string assignment in overrides ?? [])
        {
            int eq = assignment.IndexOf('=');
            if (eq <= 0) throw new InputException($"--set '{assignment}': expected key=value");
            string key = assignment[..eq].Trim();
            string value = assignment[(eq + 1)..].Trim();
            if (!key.StartsWith(Root + ".", StringComparison.Ordinal)) key = Root + "." + key;
            var layer = Parse($"{key} = {QuoteIfNeeded(value)}", $"--set {assignment}");
            CheckKeys(layer, known, "--set");
            layers.Insert(0, layer);
        }
        var merged = defaults;
        for (int i = layers.Count - 1; i >= 0; i--) merged = layers[i].WithFallback(merged);
        var reader = new ConfigReader(merged);
        var config = Build(reader);
        CrossKeyChecks.Check(config);
        return new LoadedExperiment(config, Render(merged, known)) { Cluster = ClusterOptionsReader.Read(reader) };
    }

    private static HoconConfig Parse(string text, string source)
    {
        HoconBrackets.Check(text, source);
        try { return ConfigurationFactory.ParseString(text); }
        catch (Exception e) { throw new InputException($"{source}: not valid HOCON ({FirstLine(e.Message)})"); }
    }

    private static void CheckKeys(HoconConfig layer, HashSet<string> known, string source)
    {
        foreach (string path in HoconTree.LeafPaths(layer))
        {
            if (known.Contains(path)) continue;
            // An object given where the defaults have an object with fields is fine only if its leaves are known.
            string nearest = known.MinBy(k => EditDistance.Between(path, k))!;
            throw new InputException($"{source}: unknown key '{path}' (nearest known key: '{nearest}')");
        }
    }

    /// <summary>Quote a bare --set value that HOCON would otherwise misread (paths with slashes, colons).</summary>
    private static string QuoteIfNeeded(string value)
    {
        if (value.Length == 0) return "\"\"";
        if (value[0] is '"' or '[' or '{') return value;
        bool plain = value.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '+');
        return plain ? value : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    private static ExperimentConfig Build(ConfigReader r)
    {
        string mode = r.OneOf("experiment.mode", "sync", "async", "realtime");
        var config = new ExperimentConfig(
            Name: r.NonEmptyString("experiment.name"),
            Seed: (ulong)r.Long("experiment.seed", 0, long.MaxValue),
            Agents: r.Int("experiment.agents", 1, 100_000),
            Rounds: r.Int("experiment.rounds", 1, int.MaxValue),
            EvalEvery: r.Int("experiment.eval-every", 0, int.MaxValue),
            Mode: mode,
            Device: r.OneOf("experiment.device", Core.Runtime.DevicePlacement.Settings),
            Threads: r.Int("experiment.threads", 0, 1024),
            Dataset: new DatasetConfig(
                Name: r.OneOf("experiment.dataset.name", "fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic"),
                Path: r.String("experiment.dataset.path"),
                PublicFraction: r.Double("experiment.dataset.public-fraction", 0, 0.99),
                Normalize: r.Bool("experiment.dataset.normalize"),
                TestSamples: r.Int("experiment.dataset.test-samples", 0, int.MaxValue),
                SyntheticTrainSize: r.Int("experiment.dataset.synthetic.train-size", 1, int.MaxValue),
                SyntheticTestSize: r.Int("experiment.dataset.synthetic.test-size", 1, int.MaxValue),
                SyntheticClasses: r.Int("experiment.dataset.synthetic.classes", 2, 10_000),
                SyntheticShape: r.IntList("experiment.dataset.synthetic.shape", 1, 4096),
                SyntheticSeparability: r.Double("experiment.dataset.synthetic.separability", 0, 1e6)),
            Partition: new PartitionConfig(
                Kind: r.OneOf("experiment.partition.kind", "iid", "dirichlet", "dirichlet-grouped", "shards"),
                Alpha: r.PositiveDouble("experiment.partition.alpha"),
                MinSamples: r.Int("experiment.partition.min-samples", 0, int.MaxValue),
                ShardsPerAgent: r.Int("experiment.partition.shards-per-agent", 1, 10_000)),
            Topology: new TopologyConfig(
                Kind: r.OneOf("experiment.topology.kind", "ring", "torus", "circulant", "full", "star", "exponential",
                    "erdos-renyi", "regular", "social32", "dyck32", "file"),
                Mixing: r.OneOf("experiment.topology.mixing", "uniform", "mh"),
                Gamma: r.Double("experiment.topology.gamma", 1e-9, 1),
                File: r.String("experiment.topology.file"),
                Probability: r.Double("experiment.topology.probability", 0, 1),
                Degree: r.Int("experiment.topology.degree", 1, 100_000)),
            Model: new ModelConfig(
                Name: r.OneOf("experiment.model.name", "mlp", "lenet5", "resnet20"),
                Heads: r.Int("experiment.model.heads", 1, 64),
                Hidden: r.IntList("experiment.model.hidden", 1, 1 << 20)),
            Optimizer: new OptimizerConfig(
                Lr: r.PositiveDouble("experiment.optimizer.lr"),
                Momentum: r.Double("experiment.optimizer.momentum", 0, 0.999999),
                Nesterov: r.Bool("experiment.optimizer.nesterov"),
                WeightDecay: r.Double("experiment.optimizer.weight-decay", 0, 1),
                BatchSize: r.Int("experiment.optimizer.batch-size", 1, 1 << 20),
                LocalSteps: r.Int("experiment.optimizer.local-steps", 1, 1 << 20),
                Schedule: new ScheduleConfig(
                    Kind: r.OneOf("experiment.optimizer.schedule.kind", "constant", "step", "cosine"),
                    Milestones: r.IntList("experiment.optimizer.schedule.milestones", 0, int.MaxValue),
                    Gamma: r.Double("experiment.optimizer.schedule.gamma", 0, 1e6),
                    WarmupRounds: r.Int("experiment.optimizer.schedule.warmup-rounds", 0, int.MaxValue),
                    WarmupFrom: r.Double("experiment.optimizer.schedule.warmup-from", 0, 1))),
            Algorithm: new AlgorithmConfig(
                Name: r.OneOf("experiment.algorithm.name", AlgorithmConfig.Names),
                QgmVariant: r.OneOf("experiment.algorithm.qgm.variant", "ema", "ccl"),
                QgmMu: r.Double("experiment.algorithm.qgm.mu", -1, 0.999999),
                Ccl: new CclConfig(
                    LambdaModel: r.Double("experiment.algorithm.ccl.lambda-model", 0, 1e6),
                    LambdaData: r.Double("experiment.algorithm.ccl.lambda-data", 0, 1e6),
                    Loss: r.OneOf("experiment.algorithm.ccl.loss", "mse", "infonce"),
                    Temperature: r.Double("experiment.algorithm.ccl.temperature", 1e-6, 1e6),
                    Qgm: r.Bool("experiment.algorithm.ccl.qgm")),
                Idkd: new IdkdConfig(
                    Temperature: r.Double("experiment.algorithm.idkd.temperature", 1e-6, 1e6),
                    Threshold: r.Double("experiment.algorithm.idkd.threshold", 0, 1),
                    Calibration: r.OneOf("experiment.algorithm.idkd.calibration", "fixed", "youden"),
                    ValidationFraction: r.Double("experiment.algorithm.idkd.validation-fraction", 0, 0.9),
                    Start: r.Double("experiment.algorithm.idkd.start", 0, 1),
                    Period: r.Double("experiment.algorithm.idkd.period", 1e-9, 1),
                    Selection: r.OneOf("experiment.algorithm.idkd.selection", "support", "average")),
                Mhd: new MhdConfig(
                    PublicBatchSize: r.Int("experiment.algorithm.mhd.public-batch-size", 1, 1 << 20),
                    Temperature: r.Double("experiment.algorithm.mhd.temperature", 1e-6, 1e6),
                    HeadWeights: r.DoubleList("experiment.algorithm.mhd.head-weights", 0, 1e6),
                    Target: r.OneOf("experiment.algorithm.mhd.target", "most-confident", "mean")),
                FedDkd: new FedDkdConfig(
                    Steps: r.Int("experiment.algorithm.feddkd.steps", 0, 1 << 20),
                    Lr: r.Double("experiment.algorithm.feddkd.lr", 0, 1e6),
                    Temperature: r.Double("experiment.algorithm.feddkd.temperature", 1e-6, 1e6),
                    KdBatches: r.Int("experiment.algorithm.feddkd.kd-batches", 0, 1 << 20))),
            CheckpointEvery: r.Int("experiment.checkpoint.every", 0, int.MaxValue),
            OutputDir: r.NonEmptyString("experiment.output.dir"),
            StepTimeS: r.Duration("experiment.compute.step-time").TotalSeconds,
            LatencyS: r.Duration("experiment.network.latency.value").TotalSeconds,
            Async: new AsyncConfig(
                LatencyDist: r.OneOf("experiment.network.latency.dist", Core.Simulation.LatencyDistribution.Kinds),
                LatencyValue: r.Duration("experiment.network.latency.value").TotalSeconds,
                LatencyMin: r.Duration("experiment.network.latency.min").TotalSeconds,
                LatencyMax: r.Duration("experiment.network.latency.max").TotalSeconds,
                LatencyMean: r.Duration("experiment.network.latency.mean").TotalSeconds,
                LatencyMedian: r.Duration("experiment.network.latency.median").TotalSeconds,
                LatencySigma: r.Double("experiment.network.latency.sigma", 0, 100),
                BandwidthBytesPerSecond: Core.Simulation.Rates.BytesPerSecond(r.String("experiment.network.bandwidth"), "experiment.network.bandwidth"),
                Drop: r.Double("experiment.network.drop", 0, 1),
                MaxStaleness: r.Int("experiment.network.max-staleness", -1, int.MaxValue),
                WaitTimeoutS: r.Duration("experiment.network.wait-timeout").TotalSeconds,
                StragglerFraction: r.Double("experiment.compute.stragglers.fraction", 0, 1),
                StragglerSlowdown: r.Double("experiment.compute.stragglers.slowdown", 1, 1e6),
                ChurnKind: r.OneOf("experiment.churn.kind", "none", "bernoulli", "schedule"),
                ChurnPOffline: r.Double("experiment.churn.p-offline", 0, 0.999999),
                ChurnPeriodS: r.Duration("experiment.churn.period").TotalSeconds,
                ChurnFile: r.String("experiment.churn.file"),
                LinksFile: r.String("experiment.network.links-file")));
        if (config.Async.ChurnKind == "schedule" && config.Async.ChurnFile.Length == 0)
            throw new InputException("experiment.churn.file: required when experiment.churn.kind = schedule");
        if (config.StepTimeS <= 0) throw new InputException($"experiment.compute.step-time = {config.StepTimeS}s: expected a positive duration");
        if (config.Async.WaitTimeoutS <= 0) throw new InputException($"experiment.network.wait-timeout = {config.Async.WaitTimeoutS}s: expected a positive duration");
        if (config.Dataset.Name == "synthetic" && config.Dataset.SyntheticShape.Length == 0)
            throw new InputException("experiment.dataset.synthetic.shape: expected a non-empty list of positive integers");
        // Realtime runs follow the wall clock, so a resumed one could never repeat the interrupted one.
        if (config.CheckpointEvery > 0 && config.Mode == "realtime")
            throw new InputException($"experiment.checkpoint.every = {config.CheckpointEvery}: checkpoints are supported with experiment.mode = sync or async, " +
                $"not {config.Mode} (set experiment.checkpoint.every = 0)");
        if (config.Algorithm.HasServer && config.Mode != "sync" && config.Async.MaxStaleness != 0)
            throw new InputException($"experiment.network.max-staleness = {config.Async.MaxStaleness}: {config.Algorithm.Name} runs synchronous rounds; expected 0 in {config.Mode} mode");
        if (config.Topology.Kind == "file" && config.Topology.File.Length == 0)
            throw new InputException("experiment.topology.file: required when experiment.topology.kind = file");
        return config;
    }

    /// <summary>The resolved config as flat <c>key = value</c> lines (re-loadable HOCON; written to config.conf).</summary>
    private static string Render(HoconConfig merged, HashSet<string> known)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Fully resolved experiment configuration (defaults + experiment file + --set overrides).");
        foreach (string path in known.Order(StringComparer.Ordinal))
        {
            var v = merged.GetValue(path);
            string text = v is null ? "null"
                : ListKeys.Contains(path) ? "[" + string.Join(", ", v.IsArray() ? v.GetArray().Select(e => e.GetString()) : []) + "]"
                : v.IsObject() ? "{}"
                : Quote(v.GetString() ?? "");
            sb.Append(path).Append(" = ").AppendLine(text);
        }
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

}

public sealed record LoadedExperiment(ExperimentConfig Config, string ResolvedText)
{
    /// <summary>The <c>experiment.cluster</c> section (multi-process runs only).</summary>
    public Hosting.ClusterOptions Cluster { get; init; } = Hosting.ClusterOptions.Default;

    /// <summary>Identifies what the experiment computes (see <see cref="ExperimentFingerprint"/>).</summary>
    public string Fingerprint => ExperimentFingerprint.Of(ResolvedText);
}
