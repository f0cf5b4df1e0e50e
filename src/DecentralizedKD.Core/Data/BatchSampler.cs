using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// An agent's endless stream of minibatch indices, sampling without replacement (the reference script's
/// BatchStream): a fresh permutation of the local indices per local epoch, the incomplete tail dropped; a local set
/// smaller than the batch is tiled with several permutations. Holds indices only, never data.
/// </summary>
public sealed class BatchSampler : ICheckpointable
{
    private readonly int[] _indices;
    private readonly Rng _rng;
    private readonly int[] _order;
    private int _position;

    public BatchSampler(int[] indices, int batchSize, ulong seed)
    {
        if (indices.Length == 0) throw new InputException("an agent has no training samples (check partition.min-samples)");
        if (batchSize <= 0) throw new InputException($"optimizer.batch-size = {batchSize}: expected > 0");
        _indices = indices;
        BatchSize = batchSize;
        _rng = new Rng(seed);
        _order = new int[OrderLength(indices.Length, batchSize)];
        BatchesPerEpoch = _order.Length / batchSize;
        _position = _order.Length; // forces a permutation on the first call
    }

    public int BatchSize { get; }

    /// <summary>
    /// Length of one local epoch's index order: n, or ⌈B/n⌉ permutations back to back (k·n) when the local set is
    /// smaller than one batch.
    /// </summary>
    public static int OrderLength(int localCount, int batchSize) =>
        localCount >= batchSize ? localCount : (batchSize + localCount - 1) / localCount * localCount;

    /// <summary>Bytes a sampler of <paramref name="localCount"/> indices holds: its index array and its epoch order.</summary>
    public static long IndexBytes(int localCount, int batchSize) => 4L * (localCount + OrderLength(localCount, batchSize));

    /// <summary>Number of local samples (the index array's length).</summary>
    public int LocalCount => _indices.Length;

    /// <summary>⌊n/B⌋ batches per local epoch, or ⌊k·n/B⌋ (≥ 1) when k permutations are tiled.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Local epochs started so far: 0 before the first batch, then 1, 2, … as each new permutation is drawn.</summary>
    public int Epoch { get; private set; }

    /// <summary>Fills <paramref name="batch"/> (exactly <see cref="BatchSize"/> slots) with global dataset indices.</summary>
    public void Next(Span<int> batch)
    {
        if (batch.Length != BatchSize) throw new ArgumentException($"batch span has {batch.Length} slots, expected {BatchSize}");
        if (_position + BatchSize > _order.Length)
        {
            int n = _indices.Length;
            for (int start = 0; start < _order.Length; start += n)
            {
                var perm = _rng.Permutation(n);
                for (int k = 0; k < n; k++) _order[start + k] = _indices[perm[k]];
            }
            _position = 0;
            Epoch++;
        }
        _order.AsSpan(_position, BatchSize).CopyTo(batch);
        _position += BatchSize;
    }

    /// <summary>The current epoch's order, the position in it, the epoch count and the RNG that draws the next order.</summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("batch-sampler");
        w.WriteInts(_order);
        w.Write(_position);
        w.Write(Epoch);
        _rng.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("batch-sampler");
        r.ReadInts(_order, "batch order");
        int position = r.ReadInt32();
        if (position < 0 || position > _order.Length) throw new InvalidDataException($"batch position {position} outside 0..{_order.Length}");
        _position = position;
        Epoch = r.ReadInt32();
        _rng.LoadState(r);
    }
}
