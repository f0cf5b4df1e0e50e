namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Buffers an agent's reports during a parallel time window as <see cref="AsyncObservation"/> records; the driver
/// replays all buffers in agent order afterwards (possibly on another host), so metrics, counters and events.jsonl
/// never depend on which thread or host finished first.
/// </summary>
public sealed class RecordingObserver : IAsyncObserver
{
    private readonly List<AsyncObservation> _records = [];

    public void ReplayTo(IAsyncObserver target)
    {
        foreach (var record in _records) record.ReplayTo(target);
        _records.Clear();
    }

    public AsyncObservation[] Drain()
    {
        var records = _records.ToArray();
        _records.Clear();
        return records;
    }

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) =>
        _records.Add(new AsyncObservation.Evaluated(agent, completed, time, accuracy, parameters, lossSum, iterations, bytesSent));
    public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) =>
        _records.Add(new AsyncObservation.Delivered(from, to, round, sendTime, arrivalTime, bytes));
    public void OnDropped(int from, int to, int round, double sendTime) => _records.Add(new AsyncObservation.Dropped(from, to, round, sendTime));
    public void OnLost(int from, int to, int round, double time) => _records.Add(new AsyncObservation.Lost(from, to, round, time));
    // The staleness list is built fresh for each combine (AsyncAgent.TryCombine), so keeping it is safe; copy otherwise.
    public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) =>
        _records.Add(new AsyncObservation.Combined(agent, iteration, time, staleness as int[] ?? staleness.ToArray(), timedOut));
    public void OnChurn(int agent, double time, bool online) => _records.Add(new AsyncObservation.Churned(agent, time, online));
}
