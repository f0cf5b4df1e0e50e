using System.Runtime.InteropServices;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// FedDKD's client objective on torch models: D_k(w) = mean of KL(softmax(h(x; w_k)/T) ‖ softmax(h(x; w)/T))·T² over
/// the client's data, and its gradient in w, computed in a scratch student model loaded with w. The teacher is the
/// client's live model; its logits on all local samples are computed once per teacher (they do not change during
/// the S steps of a round). <c>kdBatches = 0</c>: all local samples in index order, in batch-size chunks weighted by
/// size (the exact mean over the data); m &gt; 0: the mean over m batch-size minibatches from a seeded stream of
/// local positions (a fresh permutation per local epoch, like the training batches).
/// </summary>
public sealed class DistillationGradient : IDistillationGradient, ICheckpointable
{
    private readonly ClassifierModel _teacher;
    private readonly ClassifierModel _student;
    private readonly FlatParameters _studentFlat;
    private readonly Dataset _train;
    private readonly int[] _indices;
    private readonly int _batchSize;
    private readonly int _kdBatches;
    private readonly double _temperature;
    private readonly BatchSampler? _positions;
    private float[]? _teacherLogits;

    /// <param name="teacher">the client's own model (not owned)</param>
    /// <param name="student">a scratch model of the same architecture (owned and disposed here)</param>
    /// <param name="device">where the student computes, the teacher's device (default: the CPU)</param>
    public DistillationGradient(ClassifierModel teacher, ClassifierModel student, Dataset train, int[] indices, int batchSize,
        int kdBatches, double temperature, ulong seed, ComputeDevice? device = null)
    {
        if (indices.Length == 0) throw new InputException("a FedDKD client has no training samples (check partition.min-samples)");
        _teacher = teacher;
        _student = student;
        _studentFlat = new FlatParameters(student, device ?? ComputeDevice.Cpu);
        _train = train;
        _indices = indices;
        _batchSize = batchSize;
        _kdBatches = kdBatches;
        _temperature = temperature;
        var local = Enumerable.Range(0, indices.Length).ToArray();
        if (kdBatches > 0) _positions = new BatchSampler(local, batchSize, seed);
    }

    private int Classes => _train.NumClasses;

    public void TeacherChanged() => _teacherLogits = null;

    public double Compute(ReadOnlySpan<float> student, Span<float> gradient)
    {
        _teacherLogits ??= TeacherLogits();
        _studentFlat.CopyFrom(student);
        _studentFlat.ZeroGrad();
        _studentFlat.ToDevice();
        _student.train();
        double loss = 0;
        if (_kdBatches == 0)
        {
            for (int start = 0; start < _indices.Length; start += _batchSize)
            {
                int count = Math.Min(_batchSize, _indices.Length - start);
                var positions = Enumerable.Range(start, count).ToArray();
                loss += Accumulate(positions, (double)count / _indices.Length);
            }
        }
        else
        {
            var positions = new int[_batchSize];
            for (int b = 0; b < _kdBatches; b++)
            {
                _positions!.Next(positions);
                loss += Accumulate(positions, 1.0 / _kdBatches);
            }
        }
        _studentFlat.GradientsToHost();
        _studentFlat.GradSpan().CopyTo(gradient);
        return loss;
    }

    /// <summary>Adds weight·∇KL of one batch (local positions) to the student's gradient; returns weight·KL.</summary>
    private double Accumulate(int[] positions, double weight)
    {
        using var scope = NewDisposeScope();
        var device = _studentFlat.Device;
        var x = device.Put(_train.BatchFeatures(positions.Select(p => _indices[p]).ToArray()));
        var hostTeacher = empty(positions.Length, Classes);
        var t = MemoryMarshal.Cast<byte, float>(hostTeacher.bytes);
        for (int k = 0; k < positions.Length; k++)
            _teacherLogits.AsSpan(positions[k] * Classes, Classes).CopyTo(t.Slice(k * Classes, Classes));
        var kl = ScalarOps.Mul(Losses.KlDistill(_student.forward(x), device.Put(hostTeacher), _temperature), weight);
        kl.backward();
        return kl.item<float>();
    }

    /// <summary>The teacher's logits on every local sample, in local order (no gradients, evaluation chunks).</summary>
    private float[] TeacherLogits()
    {
        var logits = new float[_indices.Length * Classes];
        using var noGrad = no_grad();
        _teacher.eval();
        _teacher.ParametersToDevice();
        for (int start = 0; start < _indices.Length; start += ModelEvaluator.Chunk)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(ModelEvaluator.Chunk, _indices.Length - start);
            var x = _teacher.Device.Put(_train.BatchFeatures(_indices.AsSpan(start, count)));
            var h = ComputeDevice.Host(_teacher.forward(x)).contiguous();
            MemoryMarshal.Cast<byte, float>(h.bytes).CopyTo(logits.AsSpan(start * Classes, count * Classes));
        }
        return logits;
    }

    /// <summary>
    /// Checkpoint: the minibatch stream (kd-batches &gt; 0). The teacher's cached logits are not saved (the client drops
    /// them before the first step of every round), nor the student (loaded from w at every step).
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("distillation");
        w.Write(_positions is not null);
        _positions?.SaveState(w);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("distillation");
        if (r.ReadBoolean() != (_positions is not null))
            throw new InvalidDataException($"distillation: saved with a different kd-batches setting (this run has {_kdBatches})");
        _positions?.LoadState(r);
        _teacherLogits = null;
    }

    public void Dispose()
    {
        _studentFlat.Dispose();
        _student.Dispose();
    }
}
