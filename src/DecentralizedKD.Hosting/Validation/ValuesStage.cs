using System.Text;
using Akka.Configuration.Hocon;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Kinds;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Hosting.Config;
using HoconConfig = Akka.Configuration.Config;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 3: the layers merged over the defaults, and every value read with its type and range into the typed
/// <see cref="ExperimentConfig"/> (words of closed sets become enums here, once); each registered method reads its
/// own section. Also renders the resolved config (config.conf) and reads <c>experiment.cluster</c>.
/// </summary>
public sealed class ValuesStage : IValidationStage
{
    /// <summary>Keys whose value is a list (Akka's parser cannot tell an empty list from an empty value); plug-ins declare their own.</summary>
    private static readonly string[] ListKeys =
        ["experiment.model.hidden", PerAgentModels.Key, "experiment.optimizer.schedule.milestones"];

    public string Name => "values";

    public void Run(ValidationContext context)
    {
        var merged = context.Defaults!;
        foreach (var (layer, _) in context.Layers) merged = layer.WithFallback(merged);
        context.Merged = merged;
        var reader = new ConfigReader(merged);
        var config = Build(reader);
        context.Config = config;
        context.Cluster = ClusterOptionsReader.Read(reader);
        context.ResolvedText = Render(merged, RenderedKeys(context.KnownKeys, Selected(config)), AllListKeys());
    }

    /// <summary>The selected method, and the typed settings of every registered method's section.</summary>
    private static AlgorithmConfig Algorithm(ConfigReader r) =>
        new(r.Plugin(AlgorithmRegistry.Registry), r.Sections(AlgorithmRegistry.Registry).Sections);

    /// <summary>The plug-ins this run uses, of every kind (a per-agent model list may select several models).</summary>
    private static HashSet<IPlugin> Selected(ExperimentConfig c) =>
    [
        c.Algorithm.Descriptor, c.Dataset.Source, c.Partition.Kind, c.Topology.Kind, c.Topology.Schedule,
        .. c.Model.Assignments.Select(a => a.Model.Architecture),
    ];

    /// <summary>
    /// config.conf lists every key of the defaults, except the sections of plug-ins registered outside the engine
    /// unless one of them runs: a plug-in loaded in one process must not change other runs' resolved configs (and so
    /// their checkpoints' config hashes and the cluster fingerprint).
    /// </summary>
    private static IEnumerable<string> RenderedKeys(IEnumerable<string> known, HashSet<IPlugin> selected)
    {
        var hidden = PluginCatalog.All
            .Where(e => e.Plugin.Section is not null && !e.Registry.IsBuiltIn(e.Plugin) && !selected.Contains(e.Plugin))
            .Select(e => e.Plugin.Section!.Path + ".").ToArray();
        return known.Where(k => !hidden.Any(h => k.StartsWith(h, StringComparison.Ordinal)));
    }

    private static HashSet<string> AllListKeys()
    {
        var keys = new HashSet<string>(ListKeys, StringComparer.Ordinal);
        foreach (var (_, plugin) in PluginCatalog.All)
            if (plugin.Section is { } s) keys.UnionWith(s.ListKeys.Select(k => s.Path + "." + k));
        return keys;
    }

    private static ExperimentConfig Build(ConfigReader r)
    {
        var mode = r.Keyword("experiment.mode", RunModes.Table);
        var config = new ExperimentConfig(
            Name: r.NonEmptyString("experiment.name"),
            Seed: (ulong)r.Long("experiment.seed", 0, long.MaxValue),
            Agents: r.Int("experiment.agents", 1, ExperimentLimits.MaxAgents),
            Rounds: r.Int("experiment.rounds", 1, int.MaxValue),
            EvalEvery: r.Int("experiment.eval-every", 0, int.MaxValue),
            Mode: mode,
            Device: r.Keyword("experiment.device", DeviceSettings.Table),
            Threads: r.Int("experiment.threads", 0, 1024),
            Dataset: new DatasetConfig(
                Source: r.Plugin(DatasetRegistry.Registry),
                Path: r.String("experiment.dataset.path"),
                PublicFraction: r.Double("experiment.dataset.public-fraction", 0, 0.99),
                Normalize: r.Bool("experiment.dataset.normalize"),
                TestSamples: r.Int("experiment.dataset.test-samples", 0, int.MaxValue),
                Settings: r.Sections(DatasetRegistry.Registry)),
            Partition: new PartitionConfig(
                Kind: r.Plugin(PartitionerRegistry.Registry),
                Alpha: r.PositiveDouble("experiment.partition.alpha"),
                MinSamples: r.Int("experiment.partition.min-samples", 0, int.MaxValue),
                ShardsPerAgent: r.Int("experiment.partition.shards-per-agent", 1, 10_000),
                Settings: r.Sections(PartitionerRegistry.Registry)),
            Topology: new TopologyConfig(
                Kind: r.Plugin(TopologyKindRegistry.Registry),
                Mixing: r.Keyword("experiment.topology.mixing", MixingKinds.Table),
                Gamma: r.Double("experiment.topology.gamma", 1e-9, 1),
                File: r.String("experiment.topology.file"),
                Probability: r.Double("experiment.topology.probability", 0, 1),
                Degree: r.Int("experiment.topology.degree", 1, ExperimentLimits.MaxAgents),
                Schedule: r.Plugin(ScheduleRegistry.Registry),
                Peers: r.Int("experiment.topology.peers", 1, ExperimentLimits.MaxAgents),
                SequenceFile: r.String("experiment.topology.sequence-file"),
                Settings: new PluginSettings([.. r.Sections(TopologyKindRegistry.Registry).Sections, .. r.Sections(ScheduleRegistry.Registry).Sections])),
            Model: new ModelConfig(
                Architecture: r.Plugin(ModelRegistry.Registry),
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
                    Kind: r.Keyword("experiment.optimizer.schedule.kind", ScheduleKinds.Table),
                    Milestones: r.IntList("experiment.optimizer.schedule.milestones", 0, int.MaxValue),
                    Gamma: r.Double("experiment.optimizer.schedule.gamma", 0, 1e6),
                    WarmupRounds: r.Int("experiment.optimizer.schedule.warmup-rounds", 0, int.MaxValue),
                    WarmupFrom: r.Double("experiment.optimizer.schedule.warmup-from", 0, 1))),
            Algorithm: Algorithm(r),
            CheckpointEvery: r.Int("experiment.checkpoint.every", 0, int.MaxValue),
            OutputDir: r.NonEmptyString("experiment.output.dir"),
            StepTimeS: r.Duration("experiment.compute.step-time").TotalSeconds,
            LatencyS: r.Duration("experiment.network.latency.value").TotalSeconds,
            Async: new AsyncConfig(
                LatencyDist: r.Keyword("experiment.network.latency.dist", LatencyDistribution.Kinds),
                LatencyValue: r.Duration("experiment.network.latency.value").TotalSeconds,
                LatencyMin: r.Duration("experiment.network.latency.min").TotalSeconds,
                LatencyMax: r.Duration("experiment.network.latency.max").TotalSeconds,
                LatencyMean: r.Duration("experiment.network.latency.mean").TotalSeconds,
                LatencyMedian: r.Duration("experiment.network.latency.median").TotalSeconds,
                LatencySigma: r.Double("experiment.network.latency.sigma", 0, 100),
                BandwidthBytesPerSecond: Rates.BytesPerSecond(r.String("experiment.network.bandwidth"), "experiment.network.bandwidth"),
                Drop: r.Double("experiment.network.drop", 0, 1),
                MaxStaleness: r.Int("experiment.network.max-staleness", -1, int.MaxValue),
                WaitTimeoutS: r.Duration("experiment.network.wait-timeout").TotalSeconds,
                StragglerFraction: r.Double("experiment.compute.stragglers.fraction", 0, 1),
                StragglerSlowdown: r.Double("experiment.compute.stragglers.slowdown", 1, 1e6),
                ChurnKind: r.Keyword("experiment.churn.kind", ChurnKinds.Table),
                ChurnPOffline: r.Double("experiment.churn.p-offline", 0, 0.999999),
                ChurnPeriodS: r.Duration("experiment.churn.period").TotalSeconds,
                ChurnFile: r.String("experiment.churn.file"),
                LinksFile: r.String("experiment.network.links-file")));
        if (config.Async.ChurnKind == ChurnKind.Schedule && config.Async.ChurnFile.Length == 0)
            throw new InputException("experiment.churn.file: required when experiment.churn.kind = schedule");
        if (config.StepTimeS <= 0) throw new InputException($"experiment.compute.step-time = {config.StepTimeS}s: expected a positive duration");
        if (config.Async.WaitTimeoutS <= 0) throw new InputException($"experiment.network.wait-timeout = {config.Async.WaitTimeoutS}s: expected a positive duration");
        config.Topology.Kind.Check(config.Topology);
        return config with
        {
            Model = config.Model with { PerAgent = PerAgentModelsReader.Read(r, config.Model, config.Agents) },
            EvalSampleAgents = r.Int("experiment.eval.sample-agents", 0, ExperimentLimits.MaxAgents),
        };
    }

    private static string Render(HoconConfig merged, IEnumerable<string> keys, ISet<string> listKeys)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Fully resolved experiment configuration (defaults + experiment file + --set overrides).");
        foreach (string path in keys.Order(StringComparer.Ordinal))
        {
            var v = merged.GetValue(path);
            string text = v is null ? "null"
                : listKeys.Contains(path) ? "[" + string.Join(", ", v.IsArray() ? v.GetArray().Select(Element) : []) + "]"
                : v.IsObject() ? "{}"
                : HoconText.Quote(v.GetString() ?? "");
            sb.Append(path).Append(" = ").AppendLine(text);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A list element as HOCON that reads back the same: a number or word as written, an object (a per-agent model
    /// entry) as <c>{key = value, …}</c> with its keys in ordinal order, so equal entries always render alike.
    /// </summary>
    private static string Element(HoconValue e)
    {
        if (e.IsArray()) return "[" + string.Join(", ", e.GetArray().Select(Element)) + "]";
        if (!e.IsObject()) return e.GetString();
        var items = e.GetObject().Items.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key} = {(kv.Value.IsArray() || kv.Value.IsObject() || IsInteger(kv.Value.GetString()) ? Element(kv.Value) : HoconText.Quote(kv.Value.GetString() ?? ""))}");
        return "{" + string.Join(", ", items) + "}";
    }

    private static bool IsInteger(string? s) => s is { Length: > 0 } && s.All(char.IsAsciiDigit);
}
