namespace DecentralizedKD.Core.Models;

/// <summary>
/// Which model to build: <c>mlp</c>, <c>lenet5</c> or <c>resnet20</c>, for inputs of <paramref name="InputShape"/>
/// (C×H×W) and <paramref name="NumClasses"/> classes. Heads &gt; 1 wraps it in a <see cref="MultiHeadModel"/> with
/// Heads − 1 auxiliary heads.
/// </summary>
public sealed record ModelSpec(string Name, int[] InputShape, int NumClasses, int Heads = 1, int[]? Hidden = null)
{
    public static readonly string[] Names = ["mlp", "lenet5", "resnet20"];

    /// <summary>The MLP's hidden widths when none are given.</summary>
    public static readonly int[] DefaultHidden = [200, 200];

    /// <summary>What tells this model apart from another one of the same experiment (see <see cref="LabelOf"/>).</summary>
    public string Label => LabelOf(Name, Heads, Hidden ?? DefaultHidden);

    /// <summary>
    /// The model kind as agents.csv and summary.md name it: <c>lenet5</c>, <c>mlp[200,100]</c>, <c>lenet5(heads=3)</c>.
    /// Hidden widths shape only an MLP, so they appear only there; two agents with the same label have the same
    /// architecture and parameter count (the experiment fixes input shape and classes).
    /// </summary>
    public static string LabelOf(string name, int heads, IReadOnlyList<int> hidden) =>
        name + (name == "mlp" ? "[" + string.Join(",", hidden) + "]" : "") + (heads > 1 ? $"(heads={heads})" : "");
}
