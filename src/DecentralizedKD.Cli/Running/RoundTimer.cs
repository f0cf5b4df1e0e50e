using System.Diagnostics;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Cli.Running;

/// <summary>Times engine rounds from the coordinator's round-completed notifications, skipping warm-up rounds.</summary>
public sealed class RoundTimer(int warmup) : IRunObserver
{
    private readonly Stopwatch _watch = new();
    private int _last;

    public void OnMetrics(MetricsRow row) { }

    public void OnRoundCompleted(int completedRounds)
    {
        if (completedRounds == warmup) _watch.Start();
        _last = completedRounds;
    }

    public double MsPerRound => _watch.Elapsed.TotalMilliseconds / Math.Max(1, _last - warmup);
}
