namespace DecentralizedKD.Core.Config;

// Per-method settings of the knowledge-distillation algorithms. Where the method's description marks a
// detail UNCONFIRMED the documented default is used and the alternative is an option.

/// <summary>CCL: loss weights λ_m (model-variant) and λ_d (data-variant), loss form mse (code) | infonce (paper reading, τ), QGM on/off.</summary>
public sealed record CclConfig(double LambdaModel, double LambdaData, string Loss, double Temperature, bool Qgm);

/// <summary>
/// IDKD: MSP OoD detector (temperature, threshold or Youden-J calibration on a validation split), label-exchange
/// schedule as fractions of the run (first exchange at <c>Start</c>·rounds, then every <c>Period</c>·rounds), label
/// selection by neighbour data support (code) or averaging.
/// </summary>
public sealed record IdkdConfig(double Temperature, double Threshold, string Calibration, double ValidationFraction,
    double Start, double Period, string Selection);

/// <summary>MHD: public batch size, distillation temperature T, per-auxiliary-head weights ν_k, target rule.</summary>
public sealed record MhdConfig(int PublicBatchSize, double Temperature, double[] HeadWeights, string Target);

/// <summary>FedDKD: S distillation steps per round, server learning rate η_dkd, temperature T, client batches per step (0 = all local data).</summary>
public sealed record FedDkdConfig(int Steps, double Lr, double Temperature, int KdBatches);
