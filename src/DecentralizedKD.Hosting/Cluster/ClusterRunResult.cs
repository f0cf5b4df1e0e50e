using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>One worker host of a finished cluster run: where it was, its agents, its final wire counters (null if lost).</summary>
public sealed record HostReport(int Index, string Address, int[] Agents, HostWireStats? Wire);

public sealed record ClusterRunResult(RunResult Run, IReadOnlyList<HostReport> Hosts)
{
    /// <summary>Cross-host messages the coordinator node dropped (a sender that is not a host of the run, or a host
    /// speaking for an agent placed elsewhere), per sender address.</summary>
    public IReadOnlyDictionary<string, long> Dropped { get; init; } = new Dictionary<string, long>();
}
