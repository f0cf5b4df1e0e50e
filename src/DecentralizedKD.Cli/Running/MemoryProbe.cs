using DecentralizedKD.Actors;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Resident memory (VmRSS) at three points of a run — once the actor system is up but before any agent exists, right
/// after the last agent was created, and at the last evaluation — plus the process peak (VmHWM). Differences divided
/// by the number of agents estimate the memory one agent costs: its model, flat parameter/gradient buffer and
/// optimizer state at creation; plus payload snapshots, received neighbour models and allocator caches by the end.
/// </summary>
public sealed class MemoryProbe(int agents) : IRunObserver
{
    public int Agents { get; } = agents;
    public long? BeforeAgents { get; private set; }
    public long? AfterAgents { get; private set; }
    public long? AtLastEvaluation { get; private set; }
    public long? Peak => ProcessMemory.PeakResidentBytes();

    public void MarkBeforeAgents() => BeforeAgents = ProcessMemory.ResidentBytes();

    public void MarkAgentsCreated() => AfterAgents = ProcessMemory.ResidentBytes();

    public void OnMetrics(MetricsRow row) => AtLastEvaluation = ProcessMemory.ResidentBytes();

    /// <summary>(RSS at <paramref name="after"/> − RSS before agents) / agents, in bytes; null if either is unknown.</summary>
    public double? PerAgent(long? after) =>
        after is long a && BeforeAgents is long b ? (double)(a - b) / Agents : null;
}
