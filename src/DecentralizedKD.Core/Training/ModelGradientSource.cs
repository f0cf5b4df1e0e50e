using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Cross-entropy minibatch gradients of a model on an agent's own data view. Parameters and gradients are flat
/// buffers aliasing the model, so algorithms update the model in place without copies.
/// Every step runs inside its own dispose scope: no tensor outlives the call. Owns (and disposes) the flat view.
/// </summary>
public sealed class ModelGradientSource : IGradientSource, ICheckpointable
{
    private readonly ClassifierModel _model;
    private readonly FlatParameters _flat;
    private readonly Dataset _train;
    private readonly BatchSampler _sampler;
    private readonly int[] _batch;

    public ModelGradientSource(ClassifierModel model, FlatParameters flat, Dataset train, BatchSampler sampler, int batchSize)
    {
        _model = model;
        _flat = flat;
        _train = train;
        _sampler = sampler;
        _batch = new int[batchSize];
    }

    public Span<float> Parameters => _flat.AsSpan();
    public Span<float> Gradients => _flat.GradSpan();

    public double ComputeGradient()
    {
        using var scope = NewDisposeScope();
        _sampler.Next(_batch);
        var (x, y) = _train.Batch(_batch);
        var device = _flat.Device;
        _model.train();
        _flat.ZeroGrad();
        _flat.ToDevice();
        var loss = Losses.CrossEntropy(_model.forward(device.Put(x)), device.Put(y));
        loss.backward();
        _flat.GradientsToHost();
        return loss.item<float>();
    }

    /// <summary>The parameters (the model has no other state: no buffers, no dropout) and the batch stream.</summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("model-gradient-source");
        w.WriteFloats(_flat.AsSpan());
        _sampler.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("model-gradient-source");
        r.ReadFloats(_flat.AsSpan(), "parameters");
        _sampler.LoadState(r);
    }

    public void Dispose() => _flat.Dispose();
}
