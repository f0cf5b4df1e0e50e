using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// The asynchronous coordinator at a window boundary: the checkpoint's round label, wall time spent, windows run (and
/// the sum of their active agents), the
/// per-sender message sequence numbers (they order future arrivals), the length of events.jsonl (−1 = no log), the
/// metrics (rows and partial rows) and the summary counts. Messages in flight and clocks are in the agents' files.
/// </summary>
public sealed record AsyncCoordinatorState(
    int CompletedRounds,
    double WallSeconds,
    long Windows,
    IReadOnlyList<long> SentCount,
    long EventsBytes,
    AsyncMetricsState Metrics,
    AsyncStats Stats) : IResumeState
{
    public IReadOnlyList<MetricsRow> Rows => Metrics.Rows;

    public long ActiveAgentWindows { get; init; }

    /// <summary>The coordinator's observation buffer (see <see cref="ObservationBuffer.SaveState"/>); empty = none held.</summary>
    public byte[] HeldObservations { get; init; } = [];

    public void Write(BinaryWriter w)
    {
        w.WriteTag("async-coordinator");
        w.Write(CompletedRounds);
        w.Write(WallSeconds);
        w.Write(Windows);
        w.Write(ActiveAgentWindows);
        w.Write(SentCount.Count);
        foreach (long n in SentCount) w.Write(n);
        w.Write(EventsBytes);
        w.Write(HeldObservations.Length);
        w.Write(HeldObservations);
        Metrics.Write(w);
        Stats.Write(w);
    }

    public static AsyncCoordinatorState Read(BinaryReader r, int agents)
    {
        r.ExpectTag("async-coordinator");
        int completed = r.ReadInt32();
        double wall = r.ReadDouble();
        long windows = r.ReadInt64();
        long activeAgentWindows = r.ReadInt64();
        int n = r.ReadCount(8, "message sequence numbers");
        if (n != agents) throw new InvalidDataException($"message sequence numbers: saved {n}, this run has {agents} agents");
        var sent = new long[n];
        for (int i = 0; i < n; i++) sent[i] = r.ReadInt64();
        long events = r.ReadInt64();
        int heldBytes = r.ReadCount(1, "held observations");
        byte[] held = r.ReadBytes(heldBytes);
        if (held.Length != heldBytes) throw new InvalidDataException("held observations: truncated");
        return new AsyncCoordinatorState(completed, wall, windows, sent, events, AsyncMetricsState.Read(r), AsyncStats.Read(r))
            { ActiveAgentWindows = activeAgentWindows, HeldObservations = held };
    }
}
