using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// The asynchronous coordinator's side of checkpoints, kept out of the actor: when one is due, and what the
/// coordinator's file holds. The sink state (metrics with their partial rows, summary counts, events.jsonl length) is
/// read from the observers the run replays every window into, at the window boundary where nothing is mid-flight.
/// </summary>
public sealed class AsyncCheckpointing(RunCheckpoints checkpoints, AsyncMetrics metrics, AsyncStats stats, ICheckpointedLog? events, int lastCheckpoint)
{
    private int _last = lastCheckpoint;

    public RunCheckpoints Files => checkpoints;

    /// <summary>The round label of the checkpoint due at this window boundary, or −1 (see <see cref="RunCheckpoints.DueAfterWindow"/>).</summary>
    public int Due(int slowestCompleted, bool finished) => checkpoints.DueAfterWindow(slowestCompleted, finished, _last);

    /// <summary>The iteration count at which agents wait for the next checkpoint (int.MaxValue: they do not wait).</summary>
    public int HoldAt => checkpoints.NextPeriodic(_last);

    /// <summary>Starts the checkpoint of <paramref name="round"/>: an empty folder for the agents' files.</summary>
    public void Begin(int round)
    {
        checkpoints.Begin(round);
        _last = round;
    }

    /// <summary>After every agent's file is written: the coordinator's state, then the manifest (the commit).</summary>
    /// <param name="held">Observations made but not final yet (agents are at different virtual times): saved, not replayed.</param>
    public void Commit(int round, IReadOnlyList<long> sentCount, long windows, long activeAgentWindows, ObservationBuffer held)
    {
        long eventsBytes = events?.FlushToDisk() ?? -1;
        var m = metrics.Snapshot();
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) held.SaveState(w);
        checkpoints.Commit(new AsyncCoordinatorState(round, m.WallSeconds, windows, sentCount.ToArray(), eventsBytes, m, stats)
            { ActiveAgentWindows = activeAgentWindows, HeldObservations = buffer.ToArray() });
    }

    /// <summary>Tests: end the run right after this round's checkpoint is committed, as a kill would.</summary>
    public bool HaltsAfter(int round) => checkpoints.HaltAfter == round;
}
