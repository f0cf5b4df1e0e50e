using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Topology;

/// <summary>How gossip weights are derived from the graph.</summary>
public enum MixingKind
{
    /// <summary>
    /// w_ij = 1/(deg_i + 1) for j ∈ N_i ∪ {i}: what CCL and IDKD use. Row-stochastic only; symmetric (and then equal
    /// to Metropolis–Hastings) exactly when the graph is regular.
    /// </summary>
    Uniform,

    /// <summary>
    /// w_ij = 1/(1 + max(deg_i, deg_j)), w_ii = 1 − Σ_j w_ij: QGM's social-network weights. Symmetric and doubly
    /// stochastic on any graph, so plain gossip preserves the network-wide average.
    /// </summary>
    MetropolisHastings,
}

public static class MixingKinds
{
    /// <summary>The words <c>topology.mixing</c> accepts.</summary>
    public static readonly KeywordTable<MixingKind> Table = new(("uniform", MixingKind.Uniform), ("mh", MixingKind.MetropolisHastings));

    public static string Name(this MixingKind kind) => Table.NameOf(kind);
}
