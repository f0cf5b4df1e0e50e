using DecentralizedKD.Core.Plugins;
using System.Text;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>algorithm.sparse-dpsgd</c>: which coordinates are shared (top-k or random-k) and how many.</summary>
public sealed record SparseDpsgdSettings(CompressionKeys Compression);

/// <summary><c>sparse-dpsgd</c>: partial model sharing, as decentralizepy's PartialModel and SubSampling do it.</summary>
public sealed class SparseDpsgdDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "sparse-dpsgd";

    public override string Name => AlgorithmName;
    public override string Description => "Partial model sharing (decentralizepy): send k coordinates of the parameters, average each with the neighbours that sent it";

    public override ConfigSection Section { get; } = new("sparse-dpsgd",
        """
        compressor = top-k        # top-k: the coordinates that changed most since this agent last sent them | random-k: a seeded random subset
        ratio = 0.1               # k = ceil(ratio·d) coordinates sent per round, ratio in (0, 1]
        """,
        r => new SparseDpsgdSettings(CompressionKeys.ReadSparse(r)));

    public override IReadOnlyList<IPayloadCodec> PayloadCodecs => [CompressedVectorCodec.Instance];

    public override IReadOnlyList<PayloadExchange> ExchangesPerRound(RunPlan plan) =>
        [new(CompressedVector.KindName, Compressor(plan.Config).EncodedBytes(plan.ParameterCount))];

    public override IAgentAlgorithm CreateAgent(AgentContext a) =>
        new SparseDpsgd(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr, a.LocalSteps, Compressor(a.Config));

    public override string? SummaryVariant(ExperimentConfig config) =>
        CompressionText.Describe(config.Algorithm.Settings<SparseDpsgdSettings>().Compression);

    public override string Report(HostProcess process)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## Partial model sharing");
        sb.AppendLine();
        sb.AppendLine(CompressionText.MessageLine(Compressor(process.Plan.Config), process.Plan.ParameterCount));
        return sb.ToString();
    }

    private static ISparseCompressor Compressor(ExperimentConfig config) =>
        (ISparseCompressor)config.Algorithm.Settings<SparseDpsgdSettings>().Compression.Create(config.Seed);
}
