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
        target = most-confident   # most-confident peer per sample | mean of peers' softened predictions
        """,
        r => new MhdConfig(
            PublicBatchSize: r.Int("public-batch-size", 1, 1 << 20),
            Temperature: r.Double("temperature", 1e-6, 1e6),
            HeadWeights: r.DoubleList("head-weights", 0, 1e6),
            Target: r.OneOf("target", "most-confident", "mean")))
    {
        ListKeys = ["head-weights"],
    };

    public override AlgorithmRequirements Requirements { get; } = new() { PublicPool = true, MinHeads = 2 };

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [LogitsPayloadCodec.Instance];

    /// <summary>The logits of heads 0..K−1 on the round's public batch, never parameters.</summary>
    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(ExperimentSetup setup) =>
        [new(LogitsPayload.KindName, 4L * setup.Config.Algorithm.Settings<MhdConfig>().PublicBatchSize * (setup.Config.Model.Heads - 1) * setup.Data.Train.NumClasses)];

    /// <summary>Errors MHD would otherwise hit only inside an agent: checked once, before any run starts.</summary>
    public override void CheckSetup(ExperimentSetup setup) => Validate(setup.Config, setup.Partition.PublicIndices.Length);

    private static void Validate(Config.ExperimentConfig c, int publicPoolSize)
    {
        var mhd = c.Algorithm.Settings<MhdConfig>();
        if (c.Model.Heads < 2)
            throw new InputException($"experiment.model.heads = {c.Model.Heads}: mhd needs >= 2 (the main head plus K >= 1 auxiliary heads)");
        if (c.Dataset.PublicFraction <= 0)
            throw new InputException("experiment.dataset.public-fraction = 0: mhd distils on a public pool, expected > 0 (e.g. 0.1)");
        if (mhd.HeadWeights.Length == 0)
            throw new InputException("experiment.algorithm.mhd.head-weights: expected a non-empty list (ν_k per auxiliary head, last value repeats)");
        if (mhd.PublicBatchSize > publicPoolSize)
            throw new InputException($"experiment.algorithm.mhd.public-batch-size = {mhd.PublicBatchSize}: larger than the public pool ({publicPoolSize} samples; raise experiment.dataset.public-fraction)");
        MhdTargets.ParseRule(mhd.Target);
    }

    public override IAgentAlgorithm CreateAgent(AgentContext a)
    {
        var setup = a.Setup;
        var c = a.Config;
        Validate(c, setup.Partition.PublicIndices.Length);
        if (a.Model is not MultiHeadModel heads)
            throw new InputException($"experiment.model.heads = {c.Model.Heads}: mhd needs a multi-head model (heads >= 2)");
        var flat = new FlatParameters(heads, a.Device);
        var pool = new PublicPool(setup.Data.Train, setup.Partition.PublicIndices);
        var learner = new MhdLearner(heads, flat, setup.Data.Train, a.Sampler, pool);
        return new Mhd(learner, a.Links, c.Algorithm.Settings<MhdConfig>(), a.Sgd, a.Lr, c.Seed, pool.Count, a.LocalSteps);
    }
}
