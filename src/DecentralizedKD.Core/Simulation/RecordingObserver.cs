namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Buffers an agent's reports during a parallel time window; the coordinator replays all buffers in agent order
/// afterwards, so metrics, counters and events.jsonl never depend on which thread finished first.
/// </summary>
public sealed class RecordingObserver : IAsyncObserver
{
    private readonly List<Action<IAsyncObserver>> _calls = [];

    public void ReplayTo(IAsyncObserver target)
    {
        foreach (var call in _calls) call(target);
        _calls.Clear();
    }

    public IReadOnlyList<Action<IAsyncObserver>> Drain()
    {
        var calls = _calls.ToArray();
        _calls.Clear();
        return calls;
    }

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) =>
        _calls.Add(o => o.OnEvaluation(agent, completed, time, accuracy, parameters, lossSum, iterations, bytesSent));
    public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) =>
        _calls.Add(o => o.OnDelivered(from, to, round, sendTime, arrivalTime, bytes));
    public void OnDropped(int from, int to, int round, double sendTime) => _calls.Add(o => o.OnDropped(from, to, round, sendTime));
    public void OnLost(int from, int to, int round, double time) => _calls.Add(o => o.OnLost(from, to, round, time));
    public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) =>
        _calls.Add(o => o.OnCombine(agent, iteration, time, staleness, timedOut));
    public void OnChurn(int agent, double time, bool online) => _calls.Add(o => o.OnChurn(agent, time, online));
}
