using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Running;

/// <summary>Forwards the coordinator's progress notifications to several observers, in order.</summary>
public sealed class RunObservers(params IRunObserver[] observers) : IRunObserver
{
    public void OnMetrics(MetricsRow row)
    {
        foreach (var o in observers) o.OnMetrics(row);
    }

    public void OnRoundCompleted(int completedRounds)
    {
        foreach (var o in observers) o.OnRoundCompleted(completedRounds);
    }
}
