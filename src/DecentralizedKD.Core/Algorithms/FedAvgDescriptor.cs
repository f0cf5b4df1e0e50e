namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>fedavg</c>: Federated Averaging (McMahan et al., 2017), the server-based reference point.</summary>
public sealed class FedAvgDescriptor : FederatedDescriptor
{
    public const string AlgorithmName = "fedavg";

    public override string Name => AlgorithmName;
    public override string Description => "FedAvg (McMahan et al., 2017): clients train, a server averages their models weighted by data size";

    // feddkd.steps does not apply: FedAvg is the schedule without distillation steps.
    protected override int DistillationSteps(Config.ExperimentConfig config) => 0;
}
