using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>dpsgd</c>: D-PSGD with local momentum (Lian et al., 2017), adapt-then-combine gossip of parameters.</summary>
public sealed class DpsgdDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "dpsgd";

    public override string Name => AlgorithmName;
    public override string Description => "D-PSGD (Lian et al., 2017): local momentum SGD, then gossip averaging of parameters";

    public override IAgentAlgorithm CreateAgent(AgentContext a) =>
        new Dpsgd(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr, a.LocalSteps);
}
