using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Core.Algorithms;

/// <summary><c>algorithm.qgm</c>: which QGM form, and μ of its buffer (NaN = optimizer.momentum). IDKD reads it too.</summary>
public sealed record QgmSettings(QgmVariant Variant, double Mu);

/// <summary><c>qgm</c>: Quasi-Global Momentum (Lin et al., ICML 2021).</summary>
public sealed class QgmDescriptor : AlgorithmDescriptor
{
    public const string AlgorithmName = "qgm";

    public override string Name => AlgorithmName;
    public override string Description => "Quasi-Global Momentum (Lin et al., 2021): momentum from the model's displacement across gossip";

    public override ConfigSection Section { get; } = new("qgm",
        """
        variant = ema             # ema (epfml code) | ccl (CCL code's buffer correction)
        mu = -1                   # EMA factor of the QGM buffer; -1 = use optimizer.momentum
        """,
        r => new QgmSettings(r.Keyword("variant", QgmVariants.Table), r.Double("mu", -1, 0.999999) is var mu && mu < 0 ? double.NaN : mu));

    public override IAgentAlgorithm CreateAgent(AgentContext a)
    {
        var s = a.Settings<QgmSettings>();
        return new Qgm(a.CrossEntropySource(), a.Links, a.Sgd, a.Lr, a.LocalSteps, s.Variant, s.Mu);
    }

    public override string? SummaryVariant(ExperimentConfig config) => "variant " + config.Algorithm.Settings<QgmSettings>().Variant.Name();
}
