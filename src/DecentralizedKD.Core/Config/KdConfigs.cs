using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Config;

// Per-method settings of the knowledge-distillation algorithms. Where the method's description marks a
// detail UNCONFIRMED the documented default is used and the alternative is an option.

/// <summary>CCL: loss weights λ_m (model-variant) and λ_d (data-variant), loss form mse (code) | infonce (paper reading, τ), QGM on/off.</summary>
public sealed record CclConfig(double LambdaModel, double LambdaData, CclLossForm Loss, double Temperature, bool Qgm);

/// <summary><c>algorithm.ccl.loss</c>: the squared distance of the reference code, or the paper's InfoNCE reading.</summary>
public enum CclLossForm { Mse, InfoNce }

public static class CclLossForms
{
    public static readonly KeywordTable<CclLossForm> Table = new(("mse", CclLossForm.Mse), ("infonce", CclLossForm.InfoNce));
}

/// <summary>
/// IDKD: MSP OoD detector (temperature, threshold or Youden-J calibration on a validation split), label-exchange
/// schedule as fractions of the run (first exchange at <c>Start</c>·rounds, then every <c>Period</c>·rounds), label
/// selection by neighbour data support (code) or averaging.
/// </summary>
public sealed record IdkdConfig(double Temperature, double Threshold, IdkdCalibration Calibration, double ValidationFraction,
    double Start, double Period, Algorithms.Idkd.LabelSelection Selection);

/// <summary><c>algorithm.idkd.calibration</c>: the fixed threshold, or Youden's J on a validation split.</summary>
public enum IdkdCalibration { Fixed, Youden }

public static class IdkdSettingWords
{
    public static readonly KeywordTable<IdkdCalibration> Calibrations = new(("fixed", IdkdCalibration.Fixed), ("youden", IdkdCalibration.Youden));

    public static readonly KeywordTable<Algorithms.Idkd.LabelSelection> Selections =
        new(("support", Algorithms.Idkd.LabelSelection.Support), ("average", Algorithms.Idkd.LabelSelection.Average));
}

/// <summary>MHD: public batch size, distillation temperature T, per-auxiliary-head weights ν_k, target rule.</summary>
public sealed record MhdConfig(int PublicBatchSize, double Temperature, double[] HeadWeights, Algorithms.MhdTargetRule Target);

/// <summary>FedDKD: S distillation steps per round, server learning rate η_dkd, temperature T, client batches per step (0 = all local data).</summary>
public sealed record FedDkdConfig(int Steps, double Lr, double Temperature, int KdBatches);
