using System.Buffers.Binary;
using System.IO.Compression;
using DecentralizedKD.Core.Data;
using TorchSharp;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class DataReaderTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Reads_the_real_fashion_mnist_files()
    {
        var (train, test) = fmnist.Data;
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(new[] { 1, 28, 28 }, train.SampleShape);
        Assert.All(train.LabelHistogram(Enumerable.Range(0, train.Count)), c => Assert.Equal(6000, c));
        Assert.All(test.LabelHistogram(Enumerable.Range(0, test.Count)), c => Assert.Equal(1000, c));
        // Normalised with the dataset mean/std: overall mean ≈ 0 and std ≈ 1.
        double mean = train.Features.Average(v => (double)v);
        double std = Math.Sqrt(train.Features.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.98, 1.02);
    }

    private static byte[] Idx(int magic, params int[] dims)
    {
        int payload = dims.Aggregate(1, (a, b) => a * b);
        var b = new byte[4 + 4 * dims.Length + payload];
        BinaryPrimitives.WriteInt32BigEndian(b, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * d), dims[d]);
        for (int i = 0; i < payload; i++) b[4 + 4 * dims.Length + i] = (byte)(i * 7 % 256);
        return b;
    }

    private static void Gzip(string path, byte[] bytes)
    {
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    [Fact]
    public void Idx_round_trips_raw_and_gzip()
    {
        var images = Idx(IdxReader.ImagesMagic, 3, 4, 5);
        var labels = Idx(IdxReader.LabelsMagic, 3);
        labels[8] = 2; labels[9] = 9; labels[10] = 0;
        File.WriteAllBytes(Path.Combine(_dir, "train-images-idx3-ubyte"), images);
        Gzip(Path.Combine(_dir, "train-labels-idx1-ubyte.gz"), labels);
        File.WriteAllBytes(Path.Combine(_dir, "t10k-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(_dir, "t10k-labels-idx1-ubyte"), labels);
        var data = MnistFormat.Load(_dir, "tiny", normalize: false, 0, 1);
        Assert.Equal(3, data.Train.Count);
        Assert.Equal(new[] { 1, 4, 5 }, data.Train.SampleShape);
        Assert.Equal(new[] { 2, 9, 0 }, data.Train.Labels);
        // Pixel 13 of sample 2 is byte (40 + 13)·7 mod 256, scaled to [0, 1].
        Assert.Equal((2 * 20 + 13) * 7 % 256 / 255f, data.Train.Sample(2)[13], 6);
    }

    [Fact]
    public void Malformed_idx_files_name_the_file()
    {
        string truncated = Path.Combine(_dir, "trunc");
        File.WriteAllBytes(truncated, Idx(IdxReader.ImagesMagic, 10, 28, 28)[..500]);
        Assert.Contains("trunc' is truncated", Assert.Throws<InputException>(() => IdxReader.ReadImages(truncated)).Message);
        string magic = Path.Combine(_dir, "magic");
        File.WriteAllBytes(magic, Idx(IdxReader.LabelsMagic, 20));
        Assert.Contains("magic': bad magic 0x00000801, expected 0x00000803", Assert.Throws<InputException>(() => IdxReader.ReadImages(magic)).Message);
        Assert.Contains("not found", Assert.Throws<InputException>(() => IdxReader.ReadLabels(Path.Combine(_dir, "missing"))).Message);
        Assert.Contains("dataset directory", Assert.Throws<InputException>(() => MnistFormat.Load(Path.Combine(_dir, "nodir"), "x", true, 0, 1)).Message);
    }

    [Fact]
    public void Cifar10_and_cifar100_round_trip_generated_files()
    {
        // Two CIFAR-10 records: label then R, G, B planes; pixel value encodes (record, channel).
        byte[] Record(int labelBytes, byte[] labels, int r)
        {
            var rec = new byte[labelBytes + CifarFormat.PixelBytes];
            labels.CopyTo(rec, 0);
            for (int c = 0; c < 3; c++) rec.AsSpan(labelBytes + c * 1024, 1024).Fill((byte)(10 * r + c));
            return rec;
        }
        string dir10 = Directory.CreateDirectory(Path.Combine(_dir, "c10")).FullName;
        for (int i = 1; i <= 5; i++) File.WriteAllBytes(Path.Combine(dir10, $"data_batch_{i}.bin"), [.. Record(1, [(byte)i], 0), .. Record(1, [7], 1)]);
        File.WriteAllBytes(Path.Combine(dir10, "test_batch.bin"), Record(1, [3], 2));
        var c10 = CifarFormat.LoadCifar10(dir10, normalize: false);
        Assert.Equal(10, c10.Train.Count);
        Assert.Equal(new[] { 1, 7, 2, 7, 3, 7, 4, 7, 5, 7 }, c10.Train.Labels);
        Assert.Equal(new[] { 3, 32, 32 }, c10.Train.SampleShape);
        var s = c10.Train.Sample(1);
        Assert.Equal(10 / 255f, s[0], 6);            // record 1, channel R
        Assert.Equal(12 / 255f, s[2 * 1024 + 5], 6); // channel B plane (CHW order)

        string dir100 = Directory.CreateDirectory(Path.Combine(_dir, "c100")).FullName;
        File.WriteAllBytes(Path.Combine(dir100, "train.bin"), [.. Record(2, [4, 42], 0), .. Record(2, [19, 99], 1)]);
        File.WriteAllBytes(Path.Combine(dir100, "test.bin"), Record(2, [0, 5], 0));
        Assert.Equal(new[] { 42, 99 }, CifarFormat.LoadCifar100(dir100, false).Train.Labels);
        Assert.Equal(new[] { 4, 19 }, CifarFormat.LoadCifar100(dir100, false, coarse: true).Train.Labels);

        File.WriteAllBytes(Path.Combine(dir100, "train.bin"), new byte[3075]);
        Assert.Contains("not a multiple of the 3074-byte record", Assert.Throws<InputException>(() => CifarFormat.LoadCifar100(dir100, false)).Message);
    }

    [Fact]
    public void Batches_copy_exactly_the_selected_rows_and_leak_no_tensors()
    {
        var train = fmnist.Data.Train;
        int[] idx = [5, 59999, 0, 123];
        using (var scope = torch.NewDisposeScope())
        {
            var (x, y) = train.Batch(idx);
            Assert.Equal(new long[] { 4, 1, 28, 28 }, x.shape);
            Assert.Equal(train.Labels[59999], (int)y[1].item<long>());
            Assert.Equal(train.Sample(123)[400], x[3, 0, 14, 8].item<float>());
            var (xs, ys) = train.Slice(10, 3);
            Assert.Equal(train.Sample(12)[777], xs[2, 0, 27, 21].item<float>());
            Assert.Equal(train.Labels[11], (int)ys[1].item<long>());
        }
    }

    [Fact]
    public void Synthetic_data_is_seeded_balanced_and_separability_makes_it_easier()
    {
        var a = SyntheticData.Generate(500, 200, 5, [8], 3.0, 7);
        var b = SyntheticData.Generate(500, 200, 5, [8], 3.0, 7);
        Assert.Equal(a.Train.Features, b.Train.Features);
        Assert.All(a.Train.LabelHistogram(Enumerable.Range(0, 500)), c => Assert.Equal(100, c));
        double Accuracy(double s)
        {
            var d = SyntheticData.Generate(2000, 1000, 5, [16], s, 11);
            var means = new double[5, 16];
            var counts = d.Train.LabelHistogram(Enumerable.Range(0, d.Train.Count));
            for (int i = 0; i < d.Train.Count; i++) for (int k = 0; k < 16; k++) means[d.Train.Labels[i], k] += d.Train.Sample(i)[k] / (double)counts[d.Train.Labels[i]];
            int correct = 0;
            for (int i = 0; i < d.Test.Count; i++)
            {
                var x = d.Test.Sample(i).ToArray();
                int best = Enumerable.Range(0, 5).MinBy(c => Enumerable.Range(0, 16).Sum(k => (x[k] - means[c, k]) * (x[k] - means[c, k])));
                if (best == d.Test.Labels[i]) correct++;
            }
            return correct / (double)d.Test.Count;
        }
        double hard = Accuracy(0.5), easy = Accuracy(4.0);
        Assert.True(easy > hard + 0.3, $"nearest-mean accuracy {easy} (s=4) vs {hard} (s=0.5)");
        Assert.True(easy > 0.9);
    }
}
