namespace DecentralizedKD.Core.Topology;

/// <summary>
/// What <c>dkd topology</c> reports, from <see cref="TopologyChecks.Summarize"/>. Serialised with camelCase names,
/// the JSON keys are exactly agents, edges, minDegree, maxDegree, connected, symmetric, doublyStochastic, spectralGap
/// (null above <see cref="TopologyChecks.MaxSpectralAgents"/> agents).
/// </summary>
public sealed record TopologySummary(
    int Agents,
    int Edges,
    int MinDegree,
    int MaxDegree,
    bool Connected,
    bool Symmetric,
    bool DoublyStochastic,
    double? SpectralGap);
