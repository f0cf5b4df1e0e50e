using DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Where the coordinator reports progress (metrics rows as they are produced). It lives in Core, not with the actors,
/// so the command line's progress bars and clocks implement it without depending on the actor layer.
/// </summary>
public interface IRunObserver
{
    void OnMetrics(MetricsRow row);
    void OnRoundCompleted(int completedRounds) { }
}
