namespace DecentralizedKD.Core.Models;

/// <summary>
/// Which model to build: an <paramref name="Architecture"/> of <see cref="ModelRegistry"/> for inputs of
/// <paramref name="InputShape"/> (C×H×W, or any shape an MLP flattens) and <paramref name="NumClasses"/> classes.
/// Heads &gt; 1 wraps it in a <see cref="MultiHeadModel"/> with Heads − 1 auxiliary heads.
/// </summary>
public sealed record ModelSpec(ModelDescriptor Architecture, int[] InputShape, int NumClasses, int Heads = 1, int[]? Hidden = null)
{
    /// <summary>The architecture named <paramref name="Name"/> (an unknown name is one input error).</summary>
    public ModelSpec(string Name, int[] InputShape, int NumClasses, int Heads = 1, int[]? Hidden = null)
        : this(ModelRegistry.Get(Name), InputShape, NumClasses, Heads, Hidden) { }

    /// <summary>The MLP's hidden widths when none are given.</summary>
    public static readonly int[] DefaultHidden = [200, 200];

    public string Name => Architecture.Name;

    /// <summary>What tells this model apart from another one of the same experiment (see <see cref="LabelOf"/>).</summary>
    public string Label => LabelOf(Architecture, Heads, Hidden ?? DefaultHidden);

    /// <summary>
    /// The model kind as agents.csv and summary.md name it: <c>lenet5</c>, <c>mlp[200,100]</c>, <c>lenet5(heads=3)</c>.
    /// Hidden widths appear only for an architecture they shape (<see cref="ModelDescriptor.UsesHidden"/>); two agents
    /// with the same label have the same architecture and parameter count (the experiment fixes input shape and classes).
    /// </summary>
    public static string LabelOf(ModelDescriptor architecture, int heads, IReadOnlyList<int> hidden) =>
        architecture.Name + (architecture.UsesHidden ? "[" + string.Join(",", hidden) + "]" : "") + (heads > 1 ? $"(heads={heads})" : "");
}
