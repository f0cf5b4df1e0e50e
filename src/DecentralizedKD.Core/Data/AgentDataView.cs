using DecentralizedKD.Core.Randomness;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// One agent's window on the shared training set: its index array (no copy of any feature) plus its seeded batch
/// stream. Thousands of agents can hold views on one <see cref="Dataset"/>; each costs its index array and one
/// batch-sized buffer.
/// </summary>
public sealed class AgentDataView
{
    private readonly int[] _indices;
    private readonly BatchSampler _sampler;
    private readonly int[] _batch;

    public AgentDataView(Dataset dataset, int[] indices, int batchSize, ulong seed)
    {
        foreach (int i in indices)
            if ((uint)i >= (uint)dataset.Count) throw new ArgumentOutOfRangeException(nameof(indices), $"{dataset.Name}: index {i} outside 0..{dataset.Count - 1}");
        Dataset = dataset;
        _indices = indices;
        _sampler = new BatchSampler(indices, batchSize, seed);
        _batch = new int[batchSize];
    }

    /// <summary>
    /// Agent <paramref name="agent"/>'s view of a partition, its batch stream seeded from (experiment seed, agent,
    /// "batches") — the derivation the training runtime uses, so a view reproduces the same batches.
    /// </summary>
    public static AgentDataView ForAgent(Dataset train, Partition partition, int agent, int batchSize, ulong experimentSeed) =>
        new(train, partition.AgentIndices[agent], batchSize, Rng.DeriveSeed(experimentSeed, agent, "batches"));

    public Dataset Dataset { get; }
    public ReadOnlySpan<int> Indices => _indices;
    public int Count => _indices.Length;
    public int BatchSize => _sampler.BatchSize;
    public int BatchesPerEpoch => _sampler.BatchesPerEpoch;

    /// <summary>Local epochs started so far (see <see cref="BatchSampler.Epoch"/>).</summary>
    public int Epoch => _sampler.Epoch;

    public int[] LabelHistogram() => Dataset.LabelHistogram(_indices);

    /// <summary>Fills <paramref name="batchIndices"/> with the next batch's global dataset indices.</summary>
    public void Next(Span<int> batchIndices) => _sampler.Next(batchIndices);

    /// <summary>The next minibatch as tensors (the caller or its dispose scope owns them).</summary>
    public (Tensor X, Tensor Y) NextBatch()
    {
        _sampler.Next(_batch);
        return Dataset.Batch(_batch);
    }
}
