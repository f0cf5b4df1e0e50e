using System.Diagnostics;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Times engine rounds from the coordinator's round-completed notifications, from the end of the warm-up rounds to the
/// end of round <c>lastRound</c> (so the final evaluation is not counted), and counts the garbage collections and their
/// pause time in the same window: if the cost of a round per agent grows with the number of agents, this says whether
/// the collector is why.
/// </summary>
public sealed class RoundTimer(int warmup, int lastRound) : IRunObserver
{
    private readonly Stopwatch _watch = new();
    private int _last;
    private readonly int[] _collectionsAtStart = new int[3], _collections = new int[3];
    private TimeSpan _pauseAtStart, _pause;

    public void OnMetrics(MetricsRow row) { }

    public void OnRoundCompleted(int completedRounds)
    {
        if (completedRounds == warmup)
        {
            for (int g = 0; g < 3; g++) _collectionsAtStart[g] = GC.CollectionCount(g);
            _pauseAtStart = GC.GetTotalPauseDuration();
            _watch.Start();
        }
        if (completedRounds <= lastRound) _last = completedRounds;
        if (completedRounds == lastRound && _watch.IsRunning)
        {
            _watch.Stop();
            for (int g = 0; g < 3; g++) _collections[g] = GC.CollectionCount(g) - _collectionsAtStart[g];
            _pause = GC.GetTotalPauseDuration() - _pauseAtStart;
        }
    }

    /// <summary>How many rounds the timed span covers (those after the warm-up, up to <c>lastRound</c>).</summary>
    public int TimedRounds => Math.Max(0, _last - warmup);

    private int Timed => Math.Max(1, TimedRounds);

    public double MsPerRound => _watch.Elapsed.TotalMilliseconds / Timed;

    /// <summary>Collections of generation 0, 1 and 2 (each counts the younger ones too) in the timed rounds.</summary>
    public IReadOnlyList<int> Collections => _collections;

    /// <summary>Time the runtime was paused for collections, per timed round.</summary>
    public double GcPauseMsPerRound => _pause.TotalMilliseconds / Timed;
}
