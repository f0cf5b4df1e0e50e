using System.Collections.Concurrent;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Metrics;

/// <summary>
/// Which learners run a test pass at an evaluation (<c>eval.sample-agents = K</c>): a seeded sample of K of them, drawn
/// anew per evaluation from (experiment seed, completed rounds), so every process (cluster hosts, the coordinator)
/// draws the same one without talking. K = 0, or K at least the number of learners, evaluates everyone (the default).
/// Agents that are not learners (a FedAvg/FedDKD server) are always evaluated.
/// </summary>
public sealed class EvaluationSample(ulong seed, int learners, int size)
{
    // One membership table per evaluation, drawn once per process: agents ask concurrently from their own threads.
    private readonly ConcurrentDictionary<int, bool[]> _members = new();

    /// <summary>Whether every learner is evaluated (no sampling).</summary>
    public bool All => size == 0 || size >= learners;

    /// <summary>How many learners an evaluation tests.</summary>
    public int Size => All ? learners : size;

    public bool Includes(int agent, int completedRounds) =>
        All || agent >= learners || _members.GetOrAdd(completedRounds, Draw)[agent];

    private bool[] Draw(int completedRounds)
    {
        var members = new bool[learners];
        var order = Rng.Derive(seed, completedRounds, "eval-sample").Permutation(learners);
        for (int k = 0; k < size; k++) members[order[k]] = true;
        return members;
    }
}
