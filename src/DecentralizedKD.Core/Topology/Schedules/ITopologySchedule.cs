using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// Who talks to whom in each round (<c>topology.schedule</c>). A schedule is a pure function of (configuration, seed,
/// round): every host, thread and resumed run computes the same graph for the same round without any coordination.
/// Rounds are iterations: in asynchronous runs an agent uses its own iteration's row and recipients.
/// </summary>
public interface ITopologySchedule
{
    int Agents { get; }

    /// <summary>The same graph and weights in every round (the <c>static</c> schedule): engines keep today's fixed-neighbour path.</summary>
    bool IsStatic { get; }

    /// <summary>
    /// Agent <paramref name="agent"/>'s mixing row in round <paramref name="round"/>: its own weight and the agents it
    /// receives from (ascending) with their weights. The weights sum to 1.
    /// </summary>
    MixingRow Row(int agent, int round);

    /// <summary>The agents <paramref name="agent"/> sends to in round <paramref name="round"/>, ascending.</summary>
    IReadOnlyList<int> Recipients(int agent, int round);

    /// <summary>Every agent <paramref name="agent"/> may exchange with in some round (ascending): whom its actor must be able to reach.</summary>
    IReadOnlyList<int> PossiblePeers(int agent);

    /// <summary>
    /// Rounds after which the schedule repeats exactly (one-peer-exponential: ⌈log2 n⌉, sequence: the number of files),
    /// or 0 when it never does (the random schedules).
    /// </summary>
    int Period { get; }
}
