using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors;

/// <summary>How a run ended. <see cref="Error"/> is null on success.</summary>
public sealed record RunResult(
    IReadOnlyList<MetricsRow> Metrics,
    IReadOnlyList<double> FinalAgentAccuracies,
    IReadOnlyList<long> BytesPerAgent,
    IReadOnlyDictionary<string, long> BytesByKind,
    string? Error)
{
    /// <summary>Asynchronous-mode counters (deliveries, drops, staleness, churn); null for synchronous runs.</summary>
    public AsyncStats? Async { get; init; }

    /// <summary>Each agent's parameters at its last evaluation (same order as <see cref="FinalAgentAccuracies"/>; null where none).</summary>
    public IReadOnlyList<float[]?> FinalAgentParameters { get; init; } = [];

    /// <summary>Hosts lost during a run that went on without their agents (<c>cluster.on-host-loss = continue</c>).</summary>
    public IReadOnlyList<HostLoss> HostLosses { get; init; } = [];
}

/// <summary>Where the coordinator reports progress (metrics rows as they are produced).</summary>
public interface IRunObserver
{
    void OnMetrics(MetricsRow row);
    void OnRoundCompleted(int completedRounds) { }
}
