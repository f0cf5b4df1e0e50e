using DecentralizedKD.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// Maximum-softmax-probability out-of-distribution detector: p = softmax(h(x)/T), and a
/// sample counts as in-distribution for this node when max_c p_c &gt; τ. The soft label of a kept sample is the
/// whole vector p.
/// </summary>
public static class MspDetector
{
    public const int Chunk = 500;

    /// <summary>softmax(logits/T) as a flat B×C array, and each row's maximum (the MSP score).</summary>
    public static (float[] Probabilities, float[] Scores) Score(Tensor logits, double temperature)
    {
        using var scope = NewDisposeScope();
        var p = ComputeDevice.Host(nn.functional.softmax(ScalarOps.Div(logits.to_type(ScalarType.Float32), temperature), 1)).contiguous();
        float[] probabilities = p.data<float>().ToArray();
        float[] scores = p.max(1).values.data<float>().ToArray();
        return (probabilities, scores);
    }

    /// <summary>
    /// <see cref="Score"/> for <paramref name="count"/> samples whose features <paramref name="features"/>(start, n)
    /// produces, in evaluation chunks, without gradients. Leaves the model in evaluation mode; training code sets
    /// train() itself before every step.
    /// </summary>
    public static (float[] Probabilities, float[] Scores) Score(ClassifierModel model, int count, Func<int, int, Tensor> features, double temperature)
    {
        var probabilities = new float[(long)count * model.NumClasses];
        var scores = new float[count];
        using var noGrad = no_grad();
        model.eval();
        model.ParametersToDevice();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(Chunk, count - start);
            var (p, s) = Score(model.forward(model.Device.Put(features(start, n))), temperature);
            p.CopyTo(probabilities, (long)start * model.NumClasses);
            s.CopyTo(scores, start);
        }
        return (probabilities, scores);
    }

    /// <summary>The samples with score &gt; <paramref name="threshold"/>, with their full probability rows.</summary>
    public static SoftLabels Keep(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> scores, int classes, double threshold)
    {
        var ids = new List<int>();
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] > threshold) ids.Add(i);
        var values = new float[ids.Count * classes];
        for (int k = 0; k < ids.Count; k++)
            probabilities.Slice(ids[k] * classes, classes).CopyTo(values.AsSpan(k * classes, classes));
        return new SoftLabels([.. ids], values, classes);
    }
}
