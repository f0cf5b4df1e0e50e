using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Training;

/// <summary>Test accuracy of a model on (a prefix of) the test set, in fixed-size chunks without gradients.</summary>
public static class ModelEvaluator
{
    public const int Chunk = 500;

    public static double Accuracy(ClassifierModel model, Dataset test, int samples)
    {
        int n = samples > 0 ? Math.Min(samples, test.Count) : test.Count;
        long correct = 0;
        using var noGrad = no_grad();
        model.eval();
        model.ParametersToDevice();
        var device = model.Device;
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var (x, y) = test.Slice(start, Math.Min(Chunk, n - start));
            correct += model.forward(device.Put(x)).argmax(1).eq(device.Put(y)).sum().item<long>();
        }
        return (double)correct / n;
    }

    /// <summary>Per-class accuracy acc_c of the main head (NaN for a class with no test sample), same test prefix as <see cref="Accuracy"/>.</summary>
    public static double[] ClassAccuracies(ClassifierModel model, Dataset test, int samples) => HeadClassAccuracies(model, test, samples)[0];

    /// <summary>
    /// Per-class accuracies of every head, [head][class]: one head for a plain model, main + auxiliary heads for a
    /// <see cref="MultiHeadModel"/> (one forward pass serves all heads).
    /// </summary>
    public static double[][] HeadClassAccuracies(ClassifierModel model, Dataset test, int samples)
    {
        int n = samples > 0 ? Math.Min(samples, test.Count) : test.Count;
        int heads = model is MultiHeadModel m ? m.AuxiliaryHeads + 1 : 1;
        var correct = new long[heads, test.NumClasses];
        var total = new long[test.NumClasses];
        using var noGrad = no_grad();
        model.eval();
        model.ParametersToDevice();
        var device = model.Device;
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(Chunk, n - start);
            var (hostX, y) = test.Slice(start, count);
            var x = device.Put(hostX);
            var logits = model is MultiHeadModel multi ? multi.ForwardHeads(x) : [model.forward(x)];
            for (int k = 0; k < count; k++) total[test.Labels[start + k]]++;
            for (int h = 0; h < heads; h++)
            {
                var hits = ComputeDevice.Host(logits[h].argmax(1)).eq(y).data<bool>().ToArray();
                for (int k = 0; k < count; k++)
                    if (hits[k]) correct[h, test.Labels[start + k]]++;
            }
        }
        return Enumerable.Range(0, heads)
            .Select(h => total.Select((t, c) => t > 0 ? (double)correct[h, c] / t : double.NaN).ToArray())
            .ToArray();
    }
}
