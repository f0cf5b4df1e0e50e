using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// Holds the coordinator once, at the end of round <paramref name="at"/>, until the test sets <see cref="Resume"/>
/// (e.g. after stopping a worker): the next round then starts at a known point whatever the machine's speed.
/// </summary>
internal sealed class PauseAt(int at) : IRunObserver
{
    public int At => at;
    public readonly TaskCompletionSource Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public readonly ManualResetEventSlim Resume = new();

    public void OnMetrics(MetricsRow row) { }

    public void OnRoundCompleted(int completedRounds)
    {
        if (completedRounds != at) return;
        Reached.TrySetResult();
        Resume.Wait(TimeSpan.FromSeconds(30));   // bounded: a broken test must not hang the coordinator forever
    }
}
