namespace DecentralizedKD.Core.Simulation;

/// <summary>What the asynchronous simulation reports (metrics collection and events.jsonl).</summary>
public interface IAsyncObserver
{
    /// <summary>
    /// Agent finished <paramref name="completed"/> iterations and evaluated itself (evaluation rounds only).
    /// <paramref name="lossSum"/> sums the training losses of its <paramref name="iterations"/> iterations since its
    /// previous evaluation, in iteration order (so the row's train loss is computed exactly as the sync engine does).
    /// </summary>
    void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent);

    void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) { }
    void OnDropped(int from, int to, int round, double sendTime) { }
    void OnLost(int from, int to, int round, double time) { }
    void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) { }
    void OnChurn(int agent, double time, bool online) { }
}
