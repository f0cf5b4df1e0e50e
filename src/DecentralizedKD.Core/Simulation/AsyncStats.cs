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

    /// <summary>Staleness (iterations) of the payloads used at combines; −1 = neighbour never heard from.</summary>
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
}
