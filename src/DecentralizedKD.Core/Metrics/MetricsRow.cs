namespace DecentralizedKD.Core.Metrics;

/// <summary>
/// One evaluation point (one metrics.csv row). Accuracies are fractions in [0,1] on the test set. AvgModelAcc and
/// ConsensusDistance are NaN when the run has no averaged model (agents with different models).
/// </summary>
public sealed record MetricsRow(
    int Round,
    double VirtualTimeS,
    double WallS,
    double MeanAcc,
    double MinAcc,
    double MaxAcc,
    double AvgModelAcc,
    double TrainLoss,
    double ConsensusDistance,
    long BytesSent);
