namespace DecentralizedKD.Core.Topology;

/// <summary>The topology families <see cref="TopologyFactory"/> can build.</summary>
public enum TopologyKind
{
    Ring,
    Torus,
    Circulant,
    Full,
    Star,
    Exponential,
    ErdosRenyi,
    Regular,
    Social32,
    Dyck32,
    File,
}

/// <summary>
/// The exact names users write in configs and on the command line (<c>topology.kind</c>, <c>dkd topology KIND</c>).
/// Kept in one table so the parser, the error message and the CLI usage line can never disagree.
/// </summary>
public static class TopologyKinds
{
    private static readonly (string Name, TopologyKind Kind)[] Table =
    [
        ("ring", TopologyKind.Ring),
        ("torus", TopologyKind.Torus),
        ("circulant", TopologyKind.Circulant),
        ("full", TopologyKind.Full),
        ("star", TopologyKind.Star),
        ("exponential", TopologyKind.Exponential),
        ("erdos-renyi", TopologyKind.ErdosRenyi),
        ("regular", TopologyKind.Regular),
        ("social32", TopologyKind.Social32),
        ("dyck32", TopologyKind.Dyck32),
        ("file", TopologyKind.File),
    ];

    /// <summary>All kind names, in documentation order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Table.Select(t => t.Name).ToArray());

    /// <summary>Parses an exact (case-sensitive) kind name; an unknown name is an input error listing the known ones.</summary>
    public static TopologyKind Parse(string name)
    {
        foreach (var (n, k) in Table)
            if (n == name) return k;
        throw new InputException($"topology '{name}': unknown kind, expected one of {string.Join(" | ", Names)}");
    }

    public static string Name(this TopologyKind kind) => NameOf(kind);

    public static string NameOf(TopologyKind kind)
    {
        foreach (var (n, k) in Table)
            if (k == kind) return n;
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a topology kind");
    }
}
