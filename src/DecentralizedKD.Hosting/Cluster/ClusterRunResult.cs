using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>One worker host of a finished cluster run: where it was, its agents, its final wire counters (null if lost).</summary>
public sealed record HostReport(int Index, string Address, int[] Agents, HostWireStats? Wire);

public sealed record ClusterRunResult(RunResult Run, IReadOnlyList<HostReport> Hosts);
