using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Simulation;

/// <summary>Counts for the summary: deliveries, drops, messages lost to offline receivers, staleness, churn, timeouts.</summary>
public sealed class AsyncStats : IAsyncObserver
{
    public long Delivered { get; private set; }
    public long Dropped { get; private set; }
    public long Lost { get; private set; }
    public long Combines { get; private set; }
    public long TimedOutCombines { get; private set; }
    public long ChurnTransitions { get; private set; }

    /// <summary>
    /// Staleness marker of a neighbour never heard from. Not −1: a neighbour one iteration ahead of the combining agent
    /// (its latest payload is newer than the agent's own iteration) genuinely has staleness −1.
    /// </summary>
    public const int NeverReceived = int.MinValue;

    /// <summary>Staleness (iterations) of the payloads used at combines; negative = the neighbour was ahead; <see cref="NeverReceived"/>.</summary>
    public SortedDictionary<int, long> Staleness { get; } = [];

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) { }
    public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) => Delivered++;
    public void OnDropped(int from, int to, int round, double sendTime) => Dropped++;
    public void OnLost(int from, int to, int round, double time) => Lost++;
    public void OnChurn(int agent, double time, bool online) => ChurnTransitions++;

    public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut)
    {
        Combines++;
        if (timedOut) TimedOutCombines++;
        foreach (int s in staleness) Staleness[s] = Staleness.GetValueOrDefault(s) + 1;
    }

    /// <summary>Checkpoints: every counter and the whole staleness histogram (the summary covers the whole run).</summary>
    public void Write(BinaryWriter w)
    {
        w.WriteTag("async-stats");
        foreach (long v in new[] { Delivered, Dropped, Lost, Combines, TimedOutCombines, ChurnTransitions }) w.Write(v);
        w.Write(Staleness.Count);
        foreach (var (s, n) in Staleness)
        {
            w.Write(s);
            w.Write(n);
        }
    }

    public static AsyncStats Read(BinaryReader r)
    {
        r.ExpectTag("async-stats");
        var stats = new AsyncStats
        {
            Delivered = r.ReadInt64(), Dropped = r.ReadInt64(), Lost = r.ReadInt64(),
            Combines = r.ReadInt64(), TimedOutCombines = r.ReadInt64(), ChurnTransitions = r.ReadInt64(),
        };
        for (int n = r.ReadCount(12, "staleness histogram"); n > 0; n--) stats.Staleness[r.ReadInt32()] = r.ReadInt64();
        return stats;
    }

    /// <summary>Continues counting from a checkpoint's counts (into a fresh instance).</summary>
    public void Restore(AsyncStats saved)
    {
        (Delivered, Dropped, Lost, Combines, TimedOutCombines, ChurnTransitions) =
            (saved.Delivered, saved.Dropped, saved.Lost, saved.Combines, saved.TimedOutCombines, saved.ChurnTransitions);
        Staleness.Clear();
        foreach (var (s, n) in saved.Staleness) Staleness[s] = n;
    }
}
