namespace DecentralizedKD.Core.Simulation;

/// <summary>Forwards every simulation report to several observers, in order.</summary>
public sealed class ObserverFanOut(params IAsyncObserver[] observers) : IAsyncObserver
{
    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent)
    { foreach (var o in observers) o.OnEvaluation(agent, completed, time, accuracy, parameters, lossSum, iterations, bytesSent); }
    public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes)
    { foreach (var o in observers) o.OnDelivered(from, to, round, sendTime, arrivalTime, bytes); }
    public void OnDropped(int from, int to, int round, double sendTime) { foreach (var o in observers) o.OnDropped(from, to, round, sendTime); }
    public void OnLost(int from, int to, int round, double time) { foreach (var o in observers) o.OnLost(from, to, round, time); }
    public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut)
    { foreach (var o in observers) o.OnCombine(agent, iteration, time, staleness, timedOut); }
    public void OnChurn(int agent, double time, bool online) { foreach (var o in observers) o.OnChurn(agent, time, online); }
}
