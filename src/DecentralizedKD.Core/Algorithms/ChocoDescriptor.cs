using DecentralizedKD.Core.Plugins;
using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>algorithm.choco</c>: the compressor and its keys, what a message compresses as a unit, and the consensus step size γ.</summary>
public sealed record ChocoSettings(CompressionKeys Compression, double Gamma, ChocoScope Scope = ChocoScope.Tensor);

/// <summary><c>choco</c>: CHOCO-SGD (Koloskova, Stich and Jaggi, 2019), gossip of compressed updates to public copies.</summary>
public sealed class ChocoDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "choco";

    public override string Name => AlgorithmName;
    public override string Description => "CHOCO-SGD (Koloskova et al., 2019): local momentum step, then compressed gossip of the change to public copies x̂";

    /// <summary>
    /// Each agent's copy x̂_j is the sum of every q_j neighbour j ever sent it, so a neighbour that skips rounds (as
    /// under a time-varying schedule) would leave the copy stale for good: static schedules only.
    /// </summary>
    public override AlgorithmRequirements Requirements { get; } = new() { TimeVaryingTopology = false };

    public override ConfigSection Section { get; } = new("choco",
        """
        compressor = top-k        # none | top-k | random-k | qsgd | sign (wire bytes of each: docs/compression.md)
        ratio = 0.01              # top-k, random-k: k = ceil(ratio·d) coordinates per message, ratio in (0, 1]
        levels = 16               # qsgd: quantisation levels s >= 1 (sent as Q/(1 + ω), the contractive form)
        gamma = 0.5               # consensus step size γ in (0, 1]
        scope = tensor            # tensor (each parameter tensor compressed on its own, as the official ChocoSGD code) | model (the whole flat vector)
        """,
        r => new ChocoSettings(CompressionKeys.ReadAny(r), CompressionKeys.OpenUnitInterval(r, "gamma"), r.Keyword("scope", ChocoScopes.Table)));

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [CompressedVectorCodec.Instance, SegmentedVectorCodec.Instance];

    /// <summary>One compressed q per link and round, of the size its compressor states for the scope (per tensor: the sum of the tensors' sizes and the segment count).</summary>
    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan) =>
        [new(CompressedVector.KindName, MessageCompressor(plan).EncodedBytes)];

    public override IAgentAlgorithm CreateAgent(AgentContext a) =>
        new Choco(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr, a.LocalSteps, MessageCompressor(a.Plan), a.Settings<ChocoSettings>().Gamma, Missed(a.Process));

    public override string? SummaryVariant(ExperimentConfig config)
    {
        var s = config.Algorithm.Settings<ChocoSettings>();
        string scope = s.Scope == ChocoScope.Tensor ? " per tensor" : "";
        return $"{CompressionText.Describe(s.Compression)}{scope}, γ {s.Gamma.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>How many q's each agent never received (asynchronous runs lose some; synchronous ones none).</summary>
    public override IReadOnlyList<AgentColumn> AgentColumns(HostProcess process) =>
        [new("missed_updates", i => Missed(process).Of(i)?.ToString(CultureInfo.InvariantCulture) ?? "")];

    public override string Report(HostProcess process)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## CHOCO compressed gossip");
        sb.AppendLine();
        var s = process.Plan.Config.Algorithm.Settings<ChocoSettings>();
        sb.AppendLine(CompressionText.MessageLine(s.Compression.Create(process.Plan.Config.Seed), process.Plan.ParameterCount, MessageCompressor(process.Plan).EncodedBytes,
            s.Scope == ChocoScope.Tensor ? $"each of the {process.Plan.TensorLengths.Count} parameter tensors compressed on its own" : null));
        if (process.Plan.Config.Mode != RunMode.Sync)
        {
            var missed = Missed(process);
            var counted = Enumerable.Range(0, missed.Agents).Select(missed.Of).Where(m => m.HasValue).Select(m => m!.Value).ToArray();
            sb.AppendLine(counted.Length == 0
                ? "- missed updates: not counted in this process (the agents ran elsewhere)"
                : $"- missed updates (q's dropped or lost before they reached a neighbour): {counted.Sum()} in all, at most {counted.Max()} at one agent " +
                  "(agents.csv missed_updates). Each leaves the receiver's copy x̂_j short of that update for the rest of the run.");
        }
        return sb.ToString();
    }

    private static IMessageCompressor MessageCompressor(RunPlan plan)
    {
        var s = plan.Config.Algorithm.Settings<ChocoSettings>();
        return s.Scope.Create(s.Compression, plan.Config.Seed, plan.TensorLengths);
    }

    private static ChocoMissedUpdates Missed(HostProcess process) => process.MethodReport(() => new ChocoMissedUpdates(process.Plan.Config.AgentCount));
}
