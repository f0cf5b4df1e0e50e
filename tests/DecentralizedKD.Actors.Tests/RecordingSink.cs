using System.Collections.Concurrent;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors.Tests;

/// <summary>An asynchronous run's sink that records, in order, the evaluations replayed into it (agent, completed iterations, time).</summary>
internal sealed class RecordingSink : IAsyncObserver
{
    public ConcurrentQueue<(int Agent, int Completed, double Time)> Evaluations { get; } = new();

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) =>
        Evaluations.Enqueue((agent, completed, time));

    /// <summary>An observation of agent <paramref name="agent"/> evaluating after <paramref name="completed"/> iterations at <paramref name="time"/>.</summary>
    public static AsyncObservation Evaluated(int agent, int completed, double time) =>
        new AsyncObservation.Evaluated(agent, completed, time, 0.5, [], 0, 1, 0);
}
