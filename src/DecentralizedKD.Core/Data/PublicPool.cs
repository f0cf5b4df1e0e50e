using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// The held-out public (unlabelled) pool that distillation methods (IDKD, MHD) work on. It exposes features only:
/// there is deliberately no way to read the labels of these samples through this type.
/// </summary>
public sealed class PublicPool(Dataset train, int[] indices)
{
    private readonly Dataset _train = train;
    private readonly int[] _indices = indices;

    public int Count => _indices.Length;

    /// <summary>The pool's own sample ids 0..Count−1 map to hidden training-set rows.</summary>
    public Tensor Features(ReadOnlySpan<int> poolIds)
    {
        var rows = new int[poolIds.Length];
        for (int k = 0; k < rows.Length; k++) rows[k] = _indices[poolIds[k]];
        var (x, y) = _train.Batch(rows);
        y.Dispose();
        return x;
    }
}
