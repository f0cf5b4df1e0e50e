namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>An extra per-agent column of agents.csv that only one method has (e.g. IDKD's public-sample counts).</summary>
public sealed record AgentColumn(string Header, Func<int, string> ValueOf);
