using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using static TorchSharp.torch;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// MHD's torch side: a <see cref="MultiHeadModel"/> bound to flat parameter/gradient buffers, the agent's private batch
/// stream and the public pool (features only). Every call runs in its own dispose scope: no tensor outlives it.
/// Owns (and disposes) the flat view; the model itself belongs to the agent runtime.
/// </summary>
public sealed class MhdLearner : IMhdLearner, ICheckpointable
{
    private readonly MultiHeadModel _model;
    private readonly FlatParameters _flat;
    private readonly Dataset _train;
    private readonly BatchSampler _sampler;
    private readonly PublicPool _pool;
    private readonly int[] _batch;

    public MhdLearner(MultiHeadModel model, FlatParameters flat, Dataset train, BatchSampler sampler, PublicPool pool)
    {
        _model = model;
        _flat = flat;
        _train = train;
        _sampler = sampler;
        _pool = pool;
        _batch = new int[sampler.BatchSize];
    }

    public Span<float> Parameters => _flat.AsSpan();
    public Span<float> Gradients => _flat.GradSpan();
    public int Heads => _model.AuxiliaryHeads + 1;
    public int Classes => _model.NumClasses;

    public float[] HeadLogits(int[] poolIds, int heads)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        _flat.ToDevice();
        var all = _model.ForwardHeads(_flat.Device.Put(_pool.Features(poolIds)));
        return ComputeDevice.Host(stack(all[..heads])).contiguous().data<float>().ToArray();
    }

    public double ComputeGradient(int[] poolIds, IReadOnlyList<HeadTarget> targets, double temperature)
    {
        using var scope = NewDisposeScope();
        _sampler.Next(_batch);
        var (x, y) = _train.Batch(_batch);
        var device = _flat.Device;
        _model.train();
        _flat.ZeroGrad();
        _flat.ToDevice();
        var loss = Losses.CrossEntropy(_model.forward(device.Put(x)), device.Put(y));
        if (targets.Count > 0)
        {
            var heads = _model.ForwardHeads(device.Put(_pool.Features(poolIds)));
            foreach (var t in targets)
            {
                var probs = device.Put(tensor(t.Probabilities, [poolIds.Length, Classes]));
                // loss + ν·KL without TorchSharp's implicit Scalars (see ScalarOps).
                loss = ScalarOps.Add(loss, Losses.KlToTarget(heads[t.Head], probs, temperature), t.Weight);
            }
        }
        loss.backward();
        _flat.GradientsToHost();
        return loss.item<float>();
    }

    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("mhd-learner");
        w.WriteFloats(_flat.AsSpan());
        _sampler.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("mhd-learner");
        r.ReadFloats(_flat.AsSpan(), "parameters");
        _sampler.LoadState(r);
    }

    public void Dispose() => _flat.Dispose();
}
