using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>ccl</c>: Cross-feature Contrastive Loss (Aketi et al., 2023) on top of gossip with CCL's QGM buffer.</summary>
public sealed class CclDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "ccl";

    public override string Name => AlgorithmName;
    public override string Description => "Cross-feature Contrastive Loss (Aketi et al., 2023): features under neighbours' models and class means";

    public override AlgorithmRequirements Requirements { get; } = new() { FeatureLayer = true };

    public override ConfigSection Section { get; } = new("ccl",
        """
        lambda-model = 0.1        # λ_m: own features vs features under each neighbour's received (un-mixed) parameters
        lambda-data = 0.1         # λ_d: own features vs neighbourhood class means of the batch labels
        loss = mse                # mse (reference code) | infonce (the paper's contrastive reading, temperature below)
        temperature = 0.1         # τ of infonce
        qgm = true                # false = DSGDm-N with the same gossip order (CCL's baseline with λ = 0)
        """,
        r => new CclConfig(
            LambdaModel: r.Double("lambda-model", 0, 1e6),
            LambdaData: r.Double("lambda-data", 0, 1e6),
            Loss: r.Keyword("loss", CclLossForms.Table),
            Temperature: r.Double("temperature", 1e-6, 1e6),
            Qgm: r.Bool("qgm")));

    public override IReadOnlyList<Wire.IPayloadCodec> PayloadCodecs => [ParameterPayloadCodec.Instance, FeatureSumsPayloadCodec.Instance];

    /// <summary>Parameters first, then the class-wise feature sums and counts computed under the received parameters.</summary>
    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan)
    {
        int classes = plan.Data.Train.NumClasses;
        return [new(ParameterPayload.KindName, 4L * plan.ParameterCount), new(FeatureSumsPayload.KindName, 4L * (classes * plan.FeatureDim + classes))];
    }

    public override IAgentAlgorithm CreateAgent(AgentContext a)
    {
        var settings = a.Settings<CclConfig>();
        // The scratch model evaluates the agent's batch under each neighbour's received parameters.
        var scratch = ModelFactory.Create(a.Plan.ModelSpec, a.Plan.InitSeed);
        var learner = new CrossFeatureLearner(a.Model, scratch, a.Plan.Data.Train, a.Sampler, a.Config.Optimizer.BatchSize, settings, a.Device);
        return new Ccl(learner, a.Links, a.Sgd, a.Lr, settings.Qgm);
    }
}
