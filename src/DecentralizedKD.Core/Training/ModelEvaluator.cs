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
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var (x, y) = test.Slice(start, Math.Min(Chunk, n - start));
            correct += model.forward(x).argmax(1).eq(y).sum().item<long>();
        }
        return (double)correct / n;
    }

    /// <summary>Per-class accuracy acc_c (NaN for a class with no test sample) over the same test prefix as <see cref="Accuracy"/>.</summary>
    public static double[] ClassAccuracies(ClassifierModel model, Dataset test, int samples)
    {
        int n = samples > 0 ? Math.Min(samples, test.Count) : test.Count;
        var correct = new long[test.NumClasses];
        var total = new long[test.NumClasses];
        using var noGrad = no_grad();
        model.eval();
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var (x, y) = test.Slice(start, Math.Min(Chunk, n - start));
            var hits = model.forward(x).argmax(1).eq(y).data<bool>().ToArray();
            for (int k = 0; k < hits.Length; k++)
            {
                int label = test.Labels[start + k];
                total[label]++;
                if (hits[k]) correct[label]++;
            }
        }
        return correct.Select((c, i) => total[i] > 0 ? (double)c / total[i] : double.NaN).ToArray();
    }
}
