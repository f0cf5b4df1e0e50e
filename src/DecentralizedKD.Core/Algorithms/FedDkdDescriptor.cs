using DecentralizedKD.Core.Plugins;
using System.Globalization;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>feddkd</c>: FedAvg plus S decentralized-KD steps of the server model on the clients' data.</summary>
public sealed class FedDkdDescriptor : FederatedDescriptor
{
    public const string AlgorithmName = "feddkd";

    public override string Name => AlgorithmName;
    public override string Description => "FedDKD: FedAvg, then S distillation steps of the server model towards the clients' models on their own data";

    public override ConfigSection Section { get; } = new("feddkd",
        """
        steps = 2                 # S decentralized-KD steps per round (0 = FedAvg)
        lr = 0.01                 # server η_dkd
        temperature = 3.0         # T
        kd-batches = 0            # client minibatches per KD gradient (0 = all local data)
        """,
        r => new FedDkdConfig(
            Steps: r.Int("steps", 0, 1 << 20),
            Lr: r.Double("lr", 0, 1e6),
            Temperature: r.Double("temperature", 1e-6, 1e6),
            KdBatches: r.Int("kd-batches", 0, 1 << 20)));

    protected override int DistillationSteps(ExperimentConfig config) => config.Algorithm.Settings<FedDkdConfig>().Steps;

    public override string SummaryDetails(ExperimentConfig c)
    {
        var kd = c.Algorithm.Settings<FedDkdConfig>();
        var inv = CultureInfo.InvariantCulture;
        return $"; S = {kd.Steps} distillation steps, η_dkd {kd.Lr.ToString(inv)}, T {kd.Temperature.ToString(inv)}";
    }
}
