using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// A labelled dataset held once per process: features as one contiguous float32 array (already normalised),
/// labels as ints. Treated as immutable (the arrays are exposed for fast reads and must not be written). Agents
/// never copy it; they hold index arrays and build minibatch tensors with <see cref="Batch"/>, which copies only the
/// selected rows straight into the tensor's memory.
/// </summary>
public sealed class Dataset
{
    public Dataset(string name, int[] sampleShape, int numClasses, float[] features, int[] labels)
    {
        if (sampleShape.Length == 0 || sampleShape.Any(d => d <= 0))
            throw new ArgumentException($"{name}: sample shape [{string.Join(',', sampleShape)}] must have positive dimensions");
        if (numClasses <= 0) throw new ArgumentException($"{name}: {numClasses} classes, expected > 0");
        SampleSize = sampleShape.Aggregate(1, (a, b) => checked(a * b));
        if (features.Length != (long)SampleSize * labels.Length)
            throw new ArgumentException($"{name}: {features.Length} feature values do not match {labels.Length} samples of size {SampleSize}");
        // Readers reject bad labels with an InputException naming the file; this catches a bug in a producer before
        // it surfaces as an IndexOutOfRange deep inside a histogram or a loss.
        foreach (int label in labels)
            if ((uint)label >= (uint)numClasses) throw new ArgumentException($"{name}: label {label} outside 0..{numClasses - 1}");
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

    /// <summary>
    /// Minibatch [B, ...SampleShape] float32 and [B] int64 labels for arbitrary indices. The caller owns both tensors
    /// (or its dispose scope does). Indices are checked before anything is allocated, so a bad index leaks nothing.
    /// </summary>
    public (Tensor X, Tensor Y) Batch(ReadOnlySpan<int> indices)
    {
        var x = BatchFeatures(indices);
        var y = empty(indices.Length, ScalarType.Int64);
        var ys = MemoryMarshal.Cast<byte, long>(y.bytes);
        for (int k = 0; k < indices.Length; k++) ys[k] = Labels[indices[k]];
        return (x, y);
    }

    /// <summary>Features only, for unlabelled uses (the public pool): no label tensor is made at all.</summary>
    public Tensor BatchFeatures(ReadOnlySpan<int> indices)
    {
        foreach (int i in indices)
            if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"{Name}: sample index {i} outside 0..{Count - 1}");
        var x = empty(Shape(indices.Length), ScalarType.Float32);
        var xs = MemoryMarshal.Cast<byte, float>(x.bytes);
        for (int k = 0; k < indices.Length; k++) Sample(indices[k]).CopyTo(xs.Slice(k * SampleSize, SampleSize));
        return x;
    }

    /// <summary>Contiguous rows [start, start+count) (evaluation chunks): one block copy.</summary>
    public (Tensor X, Tensor Y) Slice(int start, int count)
    {
        if (start < 0 || count < 0 || (long)start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"{Name}: rows [{start}, {(long)start + count}) outside 0..{Count}");
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
