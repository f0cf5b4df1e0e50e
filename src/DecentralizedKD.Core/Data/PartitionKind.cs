using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Core.Data;

/// <summary><c>partition.kind</c>: how the training set is split among the agents.</summary>
public enum PartitionKind
{
    Iid,
    Dirichlet,

    /// <summary>Equal-sized agents, Dirichlet label mix per group (what the QGM, CCL and IDKD codes use).</summary>
    DirichletGrouped,
    Shards,
}

public static class PartitionKinds
{
    public static readonly KeywordTable<PartitionKind> Table = new(
        ("iid", PartitionKind.Iid), ("dirichlet", PartitionKind.Dirichlet),
        ("dirichlet-grouped", PartitionKind.DirichletGrouped), ("shards", PartitionKind.Shards));

    public static string Name(this PartitionKind kind) => Table.NameOf(kind);

    /// <summary>Whether the kind draws label mixes from Dirichlet(α) (so α must be a finite positive number).</summary>
    public static bool UsesAlpha(this PartitionKind kind) => kind is PartitionKind.Dirichlet or PartitionKind.DirichletGrouped;
}
