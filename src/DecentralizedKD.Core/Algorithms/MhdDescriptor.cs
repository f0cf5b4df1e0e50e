using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>mhd</c>: Multi-Headed Distillation (Zhmoginov et al., 2022): auxiliary heads distil peers' logits on public data.</summary>
public sealed class MhdDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "mhd";

    public override string Name => AlgorithmName;
    public override string Description => "Multi-Headed Distillation (Zhmoginov et al., 2022): auxiliary heads distil neighbours' logits on a public batch; no parameters exchanged";

    public override ConfigSection Section { get; } = new("mhd",
        """
        public-batch-size = 32
        temperature = 1.0         # T
        head-weights = [1.0]      # ν_k per auxiliary head (last value repeats)
        target = mean             # mean of peers' softened predictions (reproduces the paper's claim here) | most-confident peer per sample
        """,
        r => new MhdConfig(
            PublicBatchSize: r.Int("public-batch-size", 1, 1 << 20),
            Temperature: r.Double("temperature", 1e-6, 1e6),
            HeadWeights: r.DoubleList("head-weights", 0, 1e6),
            Target: r.Keyword("target", MhdTargets.Rules)))
    {
        ListKeys = ["head-weights"],
    };

    public override AlgorithmRequirements Requirements { get; } = new() { PublicPool = true, MinHeads = 2, HeterogeneousModels = true };

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [LogitsPayloadCodec.Instance];

    /// <summary>The logits of heads 0..K−1 on the round's public batch, never parameters (K is the same for every agent, see <see cref="CheckHeads"/>).</summary>
    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan) =>
        [new(LogitsPayload.KindName, 4L * plan.Config.Algorithm.Settings<MhdConfig>().PublicBatchSize * (plan.ModelSpecOf(0).Heads - 1) * plan.Data.Train.NumClasses)];

    public override void Check(Config.ExperimentConfig config) => CheckHeads(config.Model);

    /// <summary>Errors MHD would otherwise hit only inside an agent: checked once, before any run starts.</summary>
    public override void CheckPlan(RunPlan plan) => Validate(plan.Config, plan.Partition.PublicIndices.Length);

    /// <summary>
    /// Every agent's model has auxiliary heads, and the same number of them: an agent distils its head k from its
    /// neighbours' head k−1, so logits of K heads go to neighbours that expect exactly K. Architectures may differ
    /// (<c>experiment.model.per-agent</c>): logits on the public batch mean the same whatever model produced them.
    /// </summary>
    private static void CheckHeads(ModelConfig model)
    {
        foreach (var (agents, m) in model.Assignments)
            if (m.Heads < 2)
                throw new InputException(model.PerAgent.Count == 0
                    ? $"experiment.model.heads = {m.Heads}: mhd needs >= 2 (the main head plus K >= 1 auxiliary heads)"
                    : $"{PerAgentModels.Key}: agents \"{agents}\" have heads = {m.Heads}; mhd needs >= 2 (the main head plus K >= 1 auxiliary heads)");
        var heads = model.Assignments.Select(a => a.Model.Heads).Distinct().ToArray();
        if (heads.Length > 1)
            throw new InputException($"{PerAgentModels.Key}: heads {string.Join(" and ", model.Assignments.Select(a => $"{a.Model.Heads} (agents \"{a.Agents}\")"))}: " +
                "mhd sends the logits of every auxiliary head to neighbours with the same heads; expected one heads value for all agents");
    }

    private static void Validate(Config.ExperimentConfig c, int publicPoolSize)
    {
        var mhd = c.Algorithm.Settings<MhdConfig>();
        CheckHeads(c.Model);
        if (c.Dataset.PublicFraction <= 0)
            throw new InputException("experiment.dataset.public-fraction = 0: mhd distils on a public pool, expected > 0 (e.g. 0.1)");
        if (mhd.HeadWeights.Length == 0)
            throw new InputException("experiment.algorithm.mhd.head-weights: expected a non-empty list (ν_k per auxiliary head, last value repeats)");
        if (mhd.PublicBatchSize > publicPoolSize)
            throw new InputException($"experiment.algorithm.mhd.public-batch-size = {mhd.PublicBatchSize}: larger than the public pool ({publicPoolSize} samples; raise experiment.dataset.public-fraction)");
    }

    public override IAgentAlgorithm CreateAgent(AgentContext a)
    {
        var plan = a.Plan;
        var c = a.Config;
        Validate(c, plan.Partition.PublicIndices.Length);
        if (a.Model is not MultiHeadModel heads)
            throw new InputException($"experiment.model.heads = {c.Model.ForAgent(a.Id).Heads} (agent {a.Id}): mhd needs a multi-head model (heads >= 2)");
        var flat = new FlatParameters(heads, a.Device);
        var pool = new PublicPool(plan.Data.Train, plan.Partition.PublicIndices);
        var learner = new MhdLearner(heads, flat, plan.Data.Train, a.Sampler, pool);
        return new Mhd(learner, a.Links, c.Algorithm.Settings<MhdConfig>(), a.Sgd, a.Lr, c.Seed, pool.Count, a.LocalSteps);
    }
}
