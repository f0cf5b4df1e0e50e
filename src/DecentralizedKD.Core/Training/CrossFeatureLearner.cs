using System.Runtime.InteropServices;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// The torch side of CCL for one agent: its model (parameters/gradients as flat views), a scratch copy of the
/// architecture into which a neighbour's received parameters are loaded (parameters only, as in the reference code),
/// and this iteration's batch. The batch is kept as indices and rebuilt inside each call's dispose scope, so no tensor
/// lives between messages (which may run on different threads).
/// </summary>
public sealed class CrossFeatureLearner : ICrossFeatureLearner, ICheckpointable, IIterationState
{
    private readonly ClassifierModel _model;
    private readonly FlatParameters _flat;
    private readonly ClassifierModel _scratch;
    private readonly FlatParameters _scratchFlat;
    private readonly Dataset _train;
    private readonly BatchSampler _sampler;
    private readonly CclConfig _settings;
    private readonly int[] _batch;
    private readonly int[] _labels;
    private IReadOnlyList<float[]> _cross = [];
    private float[] _neighbourSums = [];
    private float[] _neighbourCounts = [];

    /// <param name="device">where both the model and the scratch model compute (default: the CPU)</param>
    public CrossFeatureLearner(ClassifierModel model, ClassifierModel scratch, Dataset train, BatchSampler sampler, int batchSize, CclConfig settings,
        ComputeDevice? device = null)
    {
        _model = model;
        _flat = new FlatParameters(model, device ?? ComputeDevice.Cpu);
        _scratch = scratch;
        _scratchFlat = new FlatParameters(scratch, device ?? ComputeDevice.Cpu);
        _train = train;
        _sampler = sampler;
        _settings = settings;
        _batch = new int[batchSize];
        _labels = new int[batchSize];
    }

    public Span<float> Parameters => _flat.AsSpan();
    public Span<float> Gradients => _flat.GradSpan();
    public int NumClasses => _model.NumClasses;
    public int FeatureDim => _model.FeatureDim;

    public void NextBatch()
    {
        _sampler.Next(_batch);
        for (int k = 0; k < _batch.Length; k++) _labels[k] = _train.Labels[_batch[k]];
    }

    public CrossFeatures FeaturesUnder(ReadOnlySpan<float> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _scratchFlat.CopyFrom(parameters);
        _scratchFlat.ToDevice();
        _scratch.eval();
        var x = _scratchFlat.Device.Put(_train.BatchFeatures(_batch));
        var f = ComputeDevice.Host(_scratch.Features(x)).contiguous();
        var features = MemoryMarshal.Cast<byte, float>(f.bytes).ToArray();
        var (sums, counts) = ClassSums(features);
        return new CrossFeatures(features, sums, counts);
    }

    public void SetTargets(IReadOnlyList<float[]> crossFeatures, float[] neighbourSums, float[] neighbourCounts)
    {
        _cross = crossFeatures;
        _neighbourSums = neighbourSums;
        _neighbourCounts = neighbourCounts;
    }

    public double ComputeGradient()
    {
        using var scope = NewDisposeScope();
        int b = _batch.Length, d = FeatureDim, c = NumClasses;
        var (hostX, hostY) = _train.Batch(_batch);
        var device = _flat.Device;
        var y = device.Put(hostY);
        _model.train();
        _flat.ZeroGrad();
        _flat.ToDevice();
        var (z, logits) = _model.ForwardWithFeatures(device.Put(hostX));
        var cross = _cross.Select(a => device.Put(tensor(a, [b, d]))).ToList();
        // Class means over the neighbourhood: own batch under the own (mixed) model plus what the neighbours sent.
        var own = ComputeDevice.Host(z.detach()).contiguous();
        var (ownSums, ownCounts) = ClassSums(MemoryMarshal.Cast<byte, float>(own.bytes));
        var means = new float[c * d];
        var present = new bool[c];
        for (int k = 0; k < c; k++)
        {
            float n = ownCounts[k] + (_neighbourCounts.Length > 0 ? _neighbourCounts[k] : 0);
            if (n <= 0) continue;  // no sample of class k anywhere: z̄_k = 0 and never a target
            present[k] = true;
            for (int e = 0; e < d; e++)
                means[k * d + e] = (ownSums[k * d + e] + (_neighbourSums.Length > 0 ? _neighbourSums[k * d + e] : 0)) / n;
        }
        var loss = CclLoss.Compute(logits, z, y, cross, device.Put(tensor(means, [c, d])), device.Put(tensor(present)), _settings.LambdaModel,
            _settings.LambdaData, _settings.Loss == CclLossForm.InfoNce, _settings.Temperature);
        loss.backward();
        _flat.GradientsToHost();
        return loss.item<float>();
    }

    /// <summary>Class-wise sums [C·D] and counts [C] of batch features [B·D] by this iteration's labels.</summary>
    private (float[] Sums, float[] Counts) ClassSums(ReadOnlySpan<float> features)
    {
        int d = FeatureDim;
        var sums = new float[NumClasses * d];
        var counts = new float[NumClasses];
        for (int n = 0; n < _labels.Length; n++)
        {
            int c = _labels[n];
            counts[c] += 1;
            var row = features.Slice(n * d, d);
            for (int e = 0; e < d; e++) sums[c * d + e] += row[e];
        }
        return (sums, counts);
    }

    /// <summary>
    /// Parameters and batch stream. The batch, its labels and the targets are set afresh in every iteration before
    /// use, and the scratch model is reloaded for every cross-feature pass, so none of them carries across rounds.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("cross-feature-learner");
        w.WriteFloats(_flat.AsSpan());
        _sampler.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("cross-feature-learner");
        r.ReadFloats(_flat.AsSpan(), "parameters");
        _sampler.LoadState(r);
    }

    /// <summary>Asynchronous checkpoints: this iteration's batch (drawn by LocalWork, used by both later combines) and its labels.</summary>
    public void SaveIterationState(BinaryWriter w)
    {
        w.WriteInts(_batch);
        w.WriteInts(_labels);
    }

    public void LoadIterationState(BinaryReader r)
    {
        r.ReadInts(_batch, "CCL batch");
        r.ReadInts(_labels, "CCL batch labels");
    }

    public void Dispose()
    {
        _flat.Dispose();
        _scratchFlat.Dispose();
        _scratch.Dispose();
    }
}
