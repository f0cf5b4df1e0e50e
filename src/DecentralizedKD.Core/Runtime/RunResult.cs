using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Core.Runtime;

/// <summary>
/// How a run ended, whichever engine ran it (synchronous or asynchronous, one process or a cluster). <see cref="Error"/>
/// is null on success.
/// </summary>
public sealed record RunResult(
    IReadOnlyList<MetricsRow> Metrics,
    IReadOnlyList<double> FinalAgentAccuracies,
    IReadOnlyList<long> BytesPerAgent,
    IReadOnlyDictionary<string, long> BytesByKind,
    string? Error)
{
    /// <summary>Asynchronous-mode counters (deliveries, drops, staleness, churn); null for synchronous runs.</summary>
    public AsyncStats? Async { get; init; }

    /// <summary>How the asynchronous driver cut virtual time (null for synchronous, realtime and reference runs).</summary>
    public WindowCounts? Windows { get; init; }

    /// <summary>Each agent's parameters at its last evaluation (same order as <see cref="FinalAgentAccuracies"/>; null where none).</summary>
    public IReadOnlyList<float[]?> FinalAgentParameters { get; init; } = [];

    /// <summary>Hosts lost during a run that went on without their agents (<c>cluster.on-host-loss = continue</c>).</summary>
    public IReadOnlyList<HostLoss> HostLosses { get; init; } = [];
}

/// <summary>A host whose agents the run continued without, noticed after <paramref name="CompletedRounds"/> rounds had completed.</summary>
public sealed record HostLoss(int CompletedRounds, int[] AgentIds, string Reason);

/// <summary>
/// The conservative time windows of an asynchronous run: how many, and how many agents ran in each on average (the
/// rest were not messaged at all). What they cost, not what they compute: results do not depend on them.
/// </summary>
public sealed record WindowCounts(long Windows, long ActiveAgentWindows, int Agents)
{
    public double MeanActiveAgents => Windows == 0 ? 0 : (double)ActiveAgentWindows / Windows;
}
