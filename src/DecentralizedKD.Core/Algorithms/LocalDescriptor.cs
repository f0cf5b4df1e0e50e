using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>local</c>: every agent trains alone with D-PSGD's local steps (the no-communication baseline).</summary>
public sealed class LocalDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "local";

    public override string Name => AlgorithmName;
    public override string Description => "no communication: each agent runs momentum SGD on its own data (baseline)";
    public override AlgorithmRequirements Requirements { get; } = new() { MinAgents = 1, HeterogeneousModels = true };
    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan) => [];
    public override IReadOnlyList<Wire.IPayloadCodec> PayloadCodecs => [];

    public override IAgentAlgorithm CreateAgent(AgentContext a) =>
        new LocalOnly(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr, a.LocalSteps);
}
