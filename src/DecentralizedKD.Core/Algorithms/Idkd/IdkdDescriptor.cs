using DecentralizedKD.Core.Plugins;
using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary><c>idkd</c>: In-Distribution Knowledge Distillation (Ravikumar et al., 2023) over QGM.</summary>
public sealed class IdkdDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "idkd";

    public override string Name => AlgorithmName;
    public override string Description => "In-Distribution Knowledge Distillation (Ravikumar et al., 2023): QGM, then soft labels on in-distribution public samples";

    public override ConfigSection Section { get; } = new("idkd",
        """
        temperature = 1.0         # MSP softmax temperature
        threshold = 0.98          # keep a public sample when max softmax > threshold (calibration = fixed)
        calibration = fixed       # fixed | youden (threshold = argmax TPR−FPR on a validation split of own data vs public)
        validation-fraction = 0.1 # own-data share held out for youden calibration
        start = 0.8               # first label exchange ends round max(1, floor(start·rounds)) (code: epoch 245 of 300)
        period = 0.0167           # then every max(1, round(period·rounds)) rounds (code: every 5 of 300 epochs)
        selection = support       # support (sender with most local samples of its predicted class, code) | average
        """,
        r => new IdkdConfig(
            Temperature: r.Double("temperature", 1e-6, 1e6),
            Threshold: r.Double("threshold", 0, 1),
            Calibration: r.Keyword("calibration", IdkdSettingWords.Calibrations),
            ValidationFraction: r.Double("validation-fraction", 0, 0.9),
            Start: r.Double("start", 0, 1),
            Period: r.Double("period", 1e-9, 1),
            Selection: r.Keyword("selection", IdkdSettingWords.Selections)));

    // Label exchanges are rare rounds whose content depends on the run so far; they are not saved mid-iteration.
    public override AlgorithmRequirements Requirements { get; } = new() { PublicPool = true, AsyncCheckpoints = false };

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [ParameterPayloadCodec.Instance, SoftLabelPayloadCodec.Instance];

    public override IAgentAlgorithm CreateAgent(AgentContext a)
    {
        var plan = a.Plan;
        var c = a.Config;
        var k = a.Settings<IdkdConfig>();
        var qgmSettings = a.Settings<QgmSettings>();
        if (plan.Partition.PublicIndices.Length == 0)
            throw new InputException($"experiment.dataset.public-fraction = {c.Dataset.PublicFraction}: idkd needs a non-empty public pool, expected > 0 (e.g. 0.1)");
        var (train, validation) = SplitValidation(plan.Partition.AgentIndices[a.Id], k, Rng.DeriveSeed(c.Seed, a.Id, "idkd-validation"));
        var pool = new PublicPool(plan.Data.Train, plan.Partition.PublicIndices);
        // Same batch seed as the other methods: before the first exchange (fixed τ) IDKD draws QGM's batches.
        var source = new IdkdTrainingSource(a.Model, new FlatParameters(a.Model, a.Device), plan.Data.Train, train, pool, c.Optimizer.BatchSize,
            Rng.DeriveSeed(c.Seed, a.Id, "batches"));
        // The official code runs the epfml form of QGM whatever algorithm.qgm.variant says; only μ is shared.
        var qgm = new Qgm(source, a.Links, a.Sgd, a.Lr, a.LocalSteps, QgmVariant.Ema, qgmSettings.Mu);
        return new IdkdAlgorithm(qgm, source, a.Model, pool, plan.Data.Train, validation, k,
            ExchangeSchedule.FromFractions(k.Start, k.Period, c.Rounds), a.Links, plan.Partition.LabelHistograms, a.Process.PublicSamples);
    }

    /// <summary>
    /// Youden calibration holds out a seeded validation-fraction of the agent's own samples (at least one, leaving at
    /// least one to train on); fixed τ trains on all of them.
    /// </summary>
    public static (int[] Train, int[] Validation) SplitValidation(int[] own, IdkdConfig k, ulong seed)
    {
        if (k.Calibration != IdkdCalibration.Youden) return (own, []);
        if (!(k.ValidationFraction > 0))
            throw new InputException($"experiment.algorithm.idkd.validation-fraction = {k.ValidationFraction}: calibration = youden needs a value > 0");
        int held = Math.Max(1, (int)Math.Round(k.ValidationFraction * own.Length, MidpointRounding.AwayFromZero));
        if (held >= own.Length)
            throw new InputException($"experiment.algorithm.idkd.validation-fraction = {k.ValidationFraction}: leaves no training samples for an agent with {own.Length}");
        var perm = new Rng(seed).Permutation(own.Length);
        var isValidation = new bool[own.Length];
        for (int i = 0; i < held; i++) isValidation[perm[i]] = true;
        // Both parts keep the partition's order, so the batch stream depends only on which samples were held out.
        return (own.Where((_, i) => !isValidation[i]).ToArray(), own.Where((_, i) => isValidation[i]).ToArray());
    }

    /// <summary>How many public samples each agent's detector kept and how many labelled ones it fine-tuned on.</summary>
    public override IReadOnlyList<AgentColumn> AgentColumns(HostProcess process) =>
    [
        new("public_flagged", i => process.PublicSamples.Flagged(i).ToString(CultureInfo.InvariantCulture)),
        new("public_samples", i => process.PublicSamples.Selected(i).ToString(CultureInfo.InvariantCulture)),
    ];

    public override string Report(HostProcess process)
    {
        var counts = process.PublicSamples;
        var flagged = Enumerable.Range(0, counts.Agents).Select(counts.Flagged).ToArray();
        var selected = Enumerable.Range(0, counts.Agents).Select(counts.Selected).ToArray();
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## IDKD public samples");
        sb.AppendLine();
        sb.AppendLine($"- public pool: {process.Plan.Partition.PublicIndices.Length:N0} samples (labels never read)");
        sb.AppendLine($"- kept by the agent's own detector at the first exchange: mean {flagged.Average().ToString("F1", inv)} (min {flagged.Min()}, max {flagged.Max()})");
        sb.AppendLine($"- labelled public samples fine-tuned on after the last exchange: mean {selected.Average().ToString("F1", inv)} (min {selected.Min()}, max {selected.Max()}); per agent in agents.csv");
        return sb.ToString();
    }
}
