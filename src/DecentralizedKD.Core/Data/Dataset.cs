using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// An immutable labelled dataset held once per process: features as one contiguous float32 array (already
/// normalised), labels as ints. Agents never copy it; they hold index arrays and build minibatch tensors with
/// <see cref="Batch"/>, which copies only the selected rows straight into the tensor's memory.
/// </summary>
public sealed class Dataset
{
    public Dataset(string name, int[] sampleShape, int numClasses, float[] features, int[] labels)
    {
        SampleSize = sampleShape.Aggregate(1, (a, b) => a * b);
        if (features.Length != (long)SampleSize * labels.Length)
            throw new ArgumentException($"{name}: {features.Length} feature values do not match {labels.Length} samples of size {SampleSize}");
        Name = name;
        SampleShape = sampleShape;
        NumClasses = numClasses;
        Features = features;
        Labels = labels;
    }

    public string Name { get; }
    public int[] SampleShape { get; }
    public int SampleSize { get; }
    public int NumClasses { get; }
    public int Count => Labels.Length;
    public float[] Features { get; }
    public int[] Labels { get; }

    public ReadOnlySpan<float> Sample(int index) => Features.AsSpan(index * SampleSize, SampleSize);

    /// <summary>Per-class counts over the given indices.</summary>
    public int[] LabelHistogram(IEnumerable<int> indices)
    {
        var h = new int[NumClasses];
        foreach (int i in indices) h[Labels[i]]++;
        return h;
    }

    /// <summary>Minibatch [B, ...SampleShape] float32 and [B] int64 labels for arbitrary indices.</summary>
    public (Tensor X, Tensor Y) Batch(ReadOnlySpan<int> indices)
    {
        var x = empty(Shape(indices.Length), ScalarType.Float32);
        var y = empty(indices.Length, ScalarType.Int64);
        var xs = MemoryMarshal.Cast<byte, float>(x.bytes);
        var ys = MemoryMarshal.Cast<byte, long>(y.bytes);
        for (int k = 0; k < indices.Length; k++)
        {
            Sample(indices[k]).CopyTo(xs.Slice(k * SampleSize, SampleSize));
            ys[k] = Labels[indices[k]];
        }
        return (x, y);
    }

    /// <summary>Contiguous rows [start, start+count) (evaluation chunks): one block copy.</summary>
    public (Tensor X, Tensor Y) Slice(int start, int count)
    {
        var x = empty(Shape(count), ScalarType.Float32);
        var y = empty(count, ScalarType.Int64);
        Features.AsSpan(start * SampleSize, count * SampleSize).CopyTo(MemoryMarshal.Cast<byte, float>(x.bytes));
        var ys = MemoryMarshal.Cast<byte, long>(y.bytes);
        for (int k = 0; k < count; k++) ys[k] = Labels[start + k];
        return (x, y);
    }

    private long[] Shape(int batch)
    {
        var shape = new long[SampleShape.Length + 1];
        shape[0] = batch;
        for (int d = 0; d < SampleShape.Length; d++) shape[d + 1] = SampleShape[d];
        return shape;
    }
}

/// <summary>Train and test halves of one dataset.</summary>
public sealed record DataSplit(Dataset Train, Dataset Test);
