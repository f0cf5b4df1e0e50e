using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// An agent's endless stream of minibatch indices, sampling without replacement (the reference script's
/// BatchStream): a fresh permutation of the local indices per local epoch, the incomplete tail dropped; a local set
/// smaller than the batch is tiled with several permutations. Holds indices only, never data.
/// </summary>
public sealed class BatchSampler
{
    private readonly int[] _indices;
    private readonly int _batchSize;
    private readonly Rng _rng;
    private int[] _order = [];
    private int _position;

    public BatchSampler(int[] indices, int batchSize, ulong seed)
    {
        if (indices.Length == 0) throw new InputException("an agent has no training samples (check partition.min-samples)");
        if (batchSize <= 0) throw new InputException($"optimizer.batch-size = {batchSize}: expected > 0");
        _indices = indices;
        _batchSize = batchSize;
        _rng = new Rng(seed);
    }

    public int Epoch { get; private set; }

    public void Next(Span<int> batch)
    {
        if (batch.Length != _batchSize) throw new ArgumentException($"batch span has {batch.Length} slots, expected {_batchSize}");
        if (_position + _batchSize > _order.Length)
        {
            int copies = _indices.Length >= _batchSize ? 1 : (_batchSize + _indices.Length - 1) / _indices.Length;
            _order = new int[copies * _indices.Length];
            for (int c = 0; c < copies; c++)
            {
                var perm = _rng.Permutation(_indices.Length);
                for (int k = 0; k < perm.Length; k++) _order[c * _indices.Length + k] = _indices[perm[k]];
            }
            _position = 0;
            Epoch++;
        }
        _order.AsSpan(_position, _batchSize).CopyTo(batch);
        _position += _batchSize;
    }
}
