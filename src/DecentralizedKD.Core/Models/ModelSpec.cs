namespace DecentralizedKD.Core.Models;

/// <summary>
/// Which model to build: <c>mlp</c>, <c>lenet5</c> or <c>resnet20</c>, for inputs of <paramref name="InputShape"/>
/// (C×H×W) and <paramref name="NumClasses"/> classes. Heads &gt; 1 wraps it in a <see cref="MultiHeadModel"/> with
/// Heads − 1 auxiliary heads.
/// </summary>
public sealed record ModelSpec(string Name, int[] InputShape, int NumClasses, int Heads = 1, int[]? Hidden = null)
{
    public static readonly string[] Names = ["mlp", "lenet5", "resnet20"];
}
