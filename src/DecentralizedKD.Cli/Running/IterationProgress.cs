using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Asynchronous runs have no rounds: agents iterate at their own pace. This turns the agents' combine observations
/// (one per agent per iteration, replayed in canonical order on one thread) into "iteration k is done by every agent"
/// and passes that on as a completed round, so the round timer and memory trace of <c>dkd scale</c> work unchanged.
/// </summary>
public sealed class IterationProgress(int agents, params IRunObserver[] observers) : IAsyncObserver
{
    private readonly Dictionary<int, int> _combined = [];   // iteration → agents that finished it (pending ones only)
    private int _allDone;                                   // iterations finished by every agent

    public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut)
    {
        _combined[iteration] = _combined.GetValueOrDefault(iteration) + 1;
        while (_combined.GetValueOrDefault(_allDone) == agents)
        {
            _combined.Remove(_allDone);
            _allDone++;
            foreach (var o in observers) o.OnRoundCompleted(_allDone);
        }
    }

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) { }
}
