using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// The held-out public (unlabelled) pool that distillation methods (IDKD, MHD) work on. It exposes features only:
/// there is deliberately no way to read the labels of these samples through this type, and samples are addressed
/// by pool ids 0..Count−1, so callers never hold the training-set rows they could look labels up with.
/// </summary>
public sealed class PublicPool(Dataset train, int[] indices)
{
    private readonly Dataset _train = train;
    private readonly int[] _indices = indices;

    public int Count => _indices.Length;
    public int[] SampleShape => _train.SampleShape;

    /// <summary>[B, ...SampleShape] float32 features of the given pool samples; the caller owns the tensor.</summary>
    public Tensor Features(ReadOnlySpan<int> poolIds)
    {
        Span<int> rows = poolIds.Length <= 1024 ? stackalloc int[poolIds.Length] : new int[poolIds.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            if ((uint)poolIds[k] >= (uint)_indices.Length)
                throw new ArgumentOutOfRangeException(nameof(poolIds), $"public pool id {poolIds[k]} outside 0..{_indices.Length - 1}");
            rows[k] = _indices[poolIds[k]];
        }
        return _train.BatchFeatures(rows);
    }

    /// <summary>Features of pool ids [start, start+count): evaluation-style chunks over the whole pool.</summary>
    public Tensor Features(int start, int count)
    {
        if (start < 0 || count < 0 || (long)start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"public pool ids [{start}, {(long)start + count}) outside 0..{Count}");
        var ids = new int[count];
        for (int k = 0; k < count; k++) ids[k] = start + k;
        return Features(ids);
    }
}
