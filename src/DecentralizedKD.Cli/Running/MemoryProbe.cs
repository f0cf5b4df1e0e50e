using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Resident memory (VmRSS) at three points of a run — once the actor system is up but before any agent exists, right
/// after the last agent was created, and at the last evaluation — plus the process peak (VmHWM). Differences divided
/// by the number of agents estimate the memory one agent costs: its model, flat parameter/gradient buffer and
/// optimizer state at creation; plus payload snapshots, received neighbour models and allocator caches by the end.
/// </summary>
/// <param name="managed">also measure the managed heap (after a full collection) before and after creating the agents,
/// which splits the per-agent cost at creation into managed objects (actor, method state arrays, index arrays) and
/// native memory (TorchSharp tensors and modules); costs two blocking collections before the first round</param>
public sealed class MemoryProbe(int agents, bool managed = false) : IRunObserver
{
    public int Agents { get; } = agents;
    public long? BeforeAgents { get; private set; }
    public long? AfterAgents { get; private set; }
    public long? AtLastEvaluation { get; private set; }
    public long? Peak => ProcessMemory.PeakResidentBytes();

    /// <summary>Managed heap in use before and after creating the agents (only with <c>managed</c>).</summary>
    public long? ManagedBeforeAgents { get; private set; }
    public long? ManagedAfterAgents { get; private set; }

    public void MarkBeforeAgents()
    {
        if (managed) ManagedBeforeAgents = GC.GetTotalMemory(forceFullCollection: true);
        BeforeAgents = ProcessMemory.ResidentBytes();
    }

    public void MarkAgentsCreated()
    {
        if (managed) ManagedAfterAgents = GC.GetTotalMemory(forceFullCollection: true);
        AfterAgents = ProcessMemory.ResidentBytes();
    }

    /// <summary>Managed bytes per agent at creation (null unless measured).</summary>
    public double? ManagedPerAgent =>
        ManagedAfterAgents is long a && ManagedBeforeAgents is long b ? (double)(a - b) / Agents : null;

    public void OnMetrics(MetricsRow row) => AtLastEvaluation = ProcessMemory.ResidentBytes();

    /// <summary>(RSS at <paramref name="after"/> − RSS before agents) / agents, in bytes; null if either is unknown.</summary>
    public double? PerAgent(long? after) =>
        after is long a && BeforeAgents is long b ? (double)(a - b) / Agents : null;
}
