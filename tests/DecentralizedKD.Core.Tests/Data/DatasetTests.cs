using DecentralizedKD.Core.Data;
using TorchSharp;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class DatasetTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>
{
    private static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    [Fact]
    public void Batch_copies_exactly_the_selected_rows()
    {
        var train = fmnist.Data.Train;
        int[] idx = [5, 59999, 0, 123, 5];
        using var scope = torch.NewDisposeScope();
        var (x, y) = train.Batch(idx);
        Assert.Equal(new long[] { 5, 1, 28, 28 }, x.shape);
        Assert.Equal(torch.ScalarType.Float32, x.dtype);
        Assert.Equal(new long[] { 5 }, y.shape);
        Assert.Equal(torch.ScalarType.Int64, y.dtype);
        // Whole rows, element for element, and a few through the tensor's own indexing.
        var xs = x.data<float>().ToArray();
        var ys = y.data<long>().ToArray();
        for (int k = 0; k < idx.Length; k++)
        {
            Assert.True(train.Sample(idx[k]).SequenceEqual(xs.AsSpan(k * 784, 784)), $"row {k}");
            Assert.Equal(train.Labels[idx[k]], ys[k]);
        }
        Assert.Equal(train.Sample(123)[400], x[3, 0, 14, 8].item<float>());
        Assert.Equal(train.Sample(59999)[783], x[1, 0, 27, 27].item<float>());
    }

    [Fact]
    public void Slice_copies_a_contiguous_block()
    {
        var test = fmnist.Data.Test;
        using var scope = torch.NewDisposeScope();
        var (x, y) = test.Slice(9990, 10);
        Assert.Equal(new long[] { 10, 1, 28, 28 }, x.shape);
        Assert.Equal(test.Features.AsSpan(9990 * 784, 10 * 784).ToArray(), x.data<float>().ToArray());
        Assert.Equal(test.Labels[9990..].Select(v => (long)v), y.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => test.Slice(9995, 10));
    }

    [Fact]
    public void Batch_and_slice_allocate_exactly_their_two_tensors_and_nothing_on_a_bad_index()
    {
        var train = fmnist.Data.Train;
        var batch = Enumerable.Range(0, 32).Select(k => k * 1871).ToArray();
        long before = LiveTensors;
        // Outside any dispose scope, so a hidden temporary (e.g. a staging tensor) would stay counted.
        var (x, y) = train.Batch(batch);
        Assert.Equal(before + 2, LiveTensors);
        x.Dispose();
        y.Dispose();
        var (xs, ys) = train.Slice(100, 64);
        Assert.Equal(before + 2, LiveTensors);
        xs.Dispose();
        ys.Dispose();
        Assert.Equal(before, LiveTensors);
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Batch([1, 60000]));
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Batch([-1]));
        Assert.Equal(before, LiveTensors);
        for (int step = 0; step < 20; step++)
        {
            using var scope = torch.NewDisposeScope();
            var (bx, _) = train.Batch(batch);
            _ = bx.abs().sum();                             // a temporary in the scope, no implicit Scalar
        }
        Assert.Equal(before, LiveTensors);
    }

    [Fact]
    public void Histogram_counts_labels_of_the_given_indices()
    {
        var d = new Dataset("t", [2], 3, new float[10], [0, 2, 2, 1, 2]);
        Assert.Equal(new[] { 1, 0, 2 }, d.LabelHistogram([0, 1, 4]));
        Assert.Equal(new[] { 1, 1, 3 }, d.LabelHistogram(Enumerable.Range(0, 5)));
        Assert.Throws<ArgumentException>(() => new Dataset("t", [2], 3, new float[10], [0, 2, 2, 1, 3]));
        Assert.Throws<ArgumentException>(() => new Dataset("t", [2], 3, new float[9], [0, 2, 2, 1, 2]));
    }
}
