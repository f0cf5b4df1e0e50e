using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Randomness;
using TorchSharp;
using static TorchSharp.torch;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// IDKD's minibatch gradients: soft cross-entropy −Σ_c t_c log softmax(h)_c over batches drawn from the node's private
/// samples (one-hot targets) and, after an exchange, also from its selected public samples (their soft labels), like
/// the reference code's ConcatDataset. Batches stay optimizer.batch-size, one per iteration; the sampler is rebuilt over
/// the enlarged set after every exchange with a seed derived from the exchange number. Private labels come from the
/// training set; public samples are read as features only (through <see cref="PublicPool"/>). Owns the flat view.
/// </summary>
public sealed class IdkdTrainingSource : IGradientSource, ICheckpointable
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
    private int _exchange = -1;   // the exchange whose labels _public holds (−1: none yet); it seeds _sampler

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
        if (exchange < 0) throw new ArgumentOutOfRangeException(nameof(exchange), $"exchange {exchange}, expected >= 0");
        _public = selected;
        _exchange = exchange;
        _sampler = new BatchSampler(Positions(_private.Length + selected.Count), _batch.Length, Rng.DeriveSeed(_seed, exchange, "idkd-fine-tune"));
    }

    /// <summary>
    /// Checkpoint: parameters, the fine-tuning set (the labels of the latest exchange and its number, which together
    /// rebuild the sampler over private ∪ public positions exactly as that exchange did), then the sampler's position.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("idkd-source");
        w.WriteFloats(_flat.AsSpan());
        w.Write(_exchange);
        w.WriteSoftLabels(_public);
        _sampler.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("idkd-source");
        r.ReadFloats(_flat.AsSpan(), "parameters");
        int exchange = r.ReadInt32();
        var labels = r.ReadSoftLabels(_model.NumClasses, _pool.Count, "fine-tuning labels");
        if (exchange >= 0) UsePublic(labels, exchange);
        else if (exchange == -1 && labels.Count == 0)
        {
            _public = labels;
            _exchange = -1;
            _sampler = new BatchSampler(Positions(_private.Length), _batch.Length, _seed);
        }
        else throw new InvalidDataException($"fine-tuning state: exchange {exchange} with {labels.Count} labels");
        _sampler.LoadState(r);
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
        var device = _flat.Device;
        var t = device.Put(tensor(targets, [_batch.Length, classes]));

        _model.train();
        _flat.ZeroGrad();
        _flat.ToDevice();
        var loss = Losses.SoftCrossEntropy(_model.forward(device.Put(x)), t);
        loss.backward();
        _flat.GradientsToHost();
        return loss.item<float>();
    }

    private static int[] Positions(int n) => Enumerable.Range(0, n).ToArray();

    public void Dispose() => _flat.Dispose();
}
