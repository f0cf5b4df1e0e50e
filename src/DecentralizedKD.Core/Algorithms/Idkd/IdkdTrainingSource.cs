using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// IDKD's minibatch gradients: soft cross-entropy −Σ_c t_c log softmax(h)_c over batches drawn from the node's private
/// samples (one-hot targets) and, after an exchange, also from its selected public samples (their soft labels), like
/// the reference code's ConcatDataset. Batches stay optimizer.batch-size, one per iteration; the sampler is rebuilt over
/// the enlarged set after every exchange with a seed derived from the exchange number. Private labels come from the
/// training set; public samples are read as features only (through <see cref="PublicPool"/>). Owns the flat view.
/// </summary>
public sealed class IdkdTrainingSource : IGradientSource
{
    private readonly ClassifierModel _model;
    private readonly FlatParameters _flat;
    private readonly Dataset _train;
    private readonly int[] _private;
    private readonly PublicPool _pool;
    private readonly ulong _seed;
    private readonly int[] _batch;
    private BatchSampler _sampler;
    private SoftLabels _public;

    /// <param name="seed">Seed of the batch stream before any exchange (later streams derive from it).</param>
    public IdkdTrainingSource(ClassifierModel model, FlatParameters flat, Dataset train, int[] privateIndices, PublicPool pool, int batchSize, ulong seed)
    {
        _model = model;
        _flat = flat;
        _train = train;
        _private = privateIndices;
        _pool = pool;
        _seed = seed;
        _batch = new int[batchSize];
        _public = SoftLabels.Empty(model.NumClasses);
        // Sampled ids are positions: 0..n−1 private samples, n.. the selected public samples (see Next).
        _sampler = new BatchSampler(Positions(privateIndices.Length), batchSize, seed);
    }

    public Span<float> Parameters => _flat.AsSpan();
    public Span<float> Gradients => _flat.GradSpan();

    /// <summary>Fine-tune on private ∪ <paramref name="selected"/> from now on (exchange <paramref name="exchange"/>, 0-based).</summary>
    public void UsePublic(SoftLabels selected, int exchange)
    {
        _public = selected;
        _sampler = new BatchSampler(Positions(_private.Length + selected.Count), _batch.Length, Rng.DeriveSeed(_seed, exchange, "idkd-fine-tune"));
    }

    public double ComputeGradient()
    {
        using var scope = NewDisposeScope();
        _sampler.Next(_batch);
        int classes = _model.NumClasses;
        var privateRows = new List<int>(_batch.Length);
        var publicSlots = new List<int>();
        foreach (int position in _batch)
            if (position < _private.Length) privateRows.Add(_private[position]);
            else publicSlots.Add(position - _private.Length);

        // Targets in batch order [private rows; public rows]: one-hot, then the selected soft labels.
        var targets = new float[_batch.Length * classes];
        for (int k = 0; k < privateRows.Count; k++) targets[k * classes + _train.Labels[privateRows[k]]] = 1f;
        var poolIds = new int[publicSlots.Count];
        for (int k = 0; k < publicSlots.Count; k++)
        {
            poolIds[k] = _public.PoolIds[publicSlots[k]];
            _public.Row(publicSlots[k]).CopyTo(targets.AsSpan((privateRows.Count + k) * classes, classes));
        }
        var x = publicSlots.Count == 0 ? _train.BatchFeatures(privateRows.ToArray())
            : privateRows.Count == 0 ? _pool.Features(poolIds)
            : cat([_train.BatchFeatures(privateRows.ToArray()), _pool.Features(poolIds)], 0);
        var t = tensor(targets, [_batch.Length, classes]);

        _model.train();
        _flat.ZeroGrad();
        var loss = Losses.SoftCrossEntropy(_model.forward(x), t);
        loss.backward();
        return loss.item<float>();
    }

    private static int[] Positions(int n) => Enumerable.Range(0, n).ToArray();

    public void Dispose() => _flat.Dispose();
}
