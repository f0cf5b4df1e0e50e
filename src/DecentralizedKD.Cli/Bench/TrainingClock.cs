using System.Diagnostics;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Bench;

/// <summary>
/// Wall time of an engine run's training rounds. The clock starts when round <c>warmup</c> completes, or when every
/// agent exists if there is no warm-up (an asynchronous run has no common round boundary before its end, so it is
/// always timed from the agents' creation), and stops when the last round completes — before the actor system shuts
/// down, which is not training. A synchronous round completes before its evaluation starts; an asynchronous run
/// reports its last round only with its final metrics row, so its span includes that one evaluation.
/// </summary>
public sealed class TrainingClock(int warmup) : IRunObserver
{
    private long _start = -1, _end = -1;
    private int _last;

    /// <summary>For <c>RunHooks.AgentsCreated</c>: called once every agent exists.</summary>
    public void AgentsCreated()
    {
        if (warmup == 0) Volatile.Write(ref _start, Stopwatch.GetTimestamp());
    }

    public void OnMetrics(MetricsRow row) { }

    public void OnRoundCompleted(int completedRounds)
    {
        long now = Stopwatch.GetTimestamp();
        if (completedRounds == warmup && warmup > 0) Volatile.Write(ref _start, now);
        if (completedRounds <= warmup) return;
        _last = completedRounds;
        Volatile.Write(ref _end, now);
    }

    /// <summary>Rounds inside the timed span.</summary>
    public int TimedRounds => Math.Max(0, _last - warmup);

    /// <summary>Seconds from the start to the last completed round; NaN if the clock never ran.</summary>
    public double Seconds
    {
        get
        {
            long start = Volatile.Read(ref _start), end = Volatile.Read(ref _end);
            return start < 0 || end < start ? double.NaN : Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        }
    }

    public double MsPerRound => TimedRounds > 0 ? 1000.0 * Seconds / TimedRounds : double.NaN;
}
