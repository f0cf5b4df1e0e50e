using DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Actors;

/// <summary>Where the coordinator reports progress (metrics rows as they are produced).</summary>
public interface IRunObserver
{
    void OnMetrics(MetricsRow row);
    void OnRoundCompleted(int completedRounds) { }
}
