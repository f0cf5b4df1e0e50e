using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Simulation;

/// <summary><c>churn.kind</c>: when agents are offline in asynchronous runs.</summary>
public enum ChurnKind
{
    None,

    /// <summary>Offline for a whole period with probability p-offline, per agent and period.</summary>
    Bernoulli,

    /// <summary>Explicit offline intervals from churn.file.</summary>
    Schedule,
}

public static class ChurnKinds
{
    public static readonly KeywordTable<ChurnKind> Table = new(("none", ChurnKind.None), ("bernoulli", ChurnKind.Bernoulli), ("schedule", ChurnKind.Schedule));

    public static string Name(this ChurnKind kind) => Table.NameOf(kind);
}
