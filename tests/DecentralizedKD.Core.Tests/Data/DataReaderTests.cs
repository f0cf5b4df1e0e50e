using DecentralizedKD.Core.Data;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class DataReaderTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-data-").FullName;
    private int _tinyCount;

    public void Dispose() => Directory.Delete(_dir, true);

    [Trait(TestCategories.Category, TestCategories.Slow)]
    [Fact]
    public void Reads_the_real_fashion_mnist_files()
    {
        var (train, test) = fmnist.Data;
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(new[] { 1, 28, 28 }, train.SampleShape);
        Assert.Equal(784, train.SampleSize);
        Assert.Equal(60000 * 784, train.Features.Length);
        Assert.All(train.LabelHistogram(Enumerable.Range(0, train.Count)), c => Assert.Equal(6000, c));
        Assert.All(test.LabelHistogram(Enumerable.Range(0, test.Count)), c => Assert.Equal(1000, c));
        // Normalised with the dataset mean/std: overall mean ≈ 0 and std ≈ 1.
        double mean = train.Features.Average(v => (double)v);
        double std = Math.Sqrt(train.Features.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.98, 1.02);
        // Pixel 0 is black (byte 0) in every Fashion-MNIST image: (0 − 0.2860) / 0.3530.
        Assert.Equal(-0.2860f / 0.3530f, train.Sample(0)[0], 6);
    }

    [Fact]
    public void Normalisation_is_bit_identical_to_the_float32_reference_pipeline()
    {
        // Expected bits of ((b / 255) − 0.2860) / 0.3530 with every step rounded to float32, as numpy/torch do it
        // (computed once in Python with explicit float32 rounding). A fused b·k − m/s differs in the last bits.
        var data = WriteTinyMnist(pixels: [77, 128, 200, 0, 255]).Load(normalize: true);
        uint[] expected = [0x3d393308, 0x3f1c9e13, 0x3fb4b111, 0xbf4f6929, 0x4001734f];
        var actual = data.Train.Sample(0)[..5].ToArray().Select(BitConverter.SingleToUInt32Bits);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Idx_round_trips_raw_and_gzip()
    {
        var images = IdxFiles.Build(IdxReader.ImagesMagic, 3, 4, 5);
        var labels = IdxFiles.Build(IdxReader.LabelsMagic, 3);
        labels[8] = 2; labels[9] = 9; labels[10] = 0;
        string raw = Path.Combine(_dir, "raw"), gz = Path.Combine(_dir, "gz");
        Directory.CreateDirectory(raw);
        Directory.CreateDirectory(gz);
        foreach (string prefix in new[] { "train", "t10k" })
        {
            File.WriteAllBytes(Path.Combine(raw, $"{prefix}-images-idx3-ubyte"), images);
            File.WriteAllBytes(Path.Combine(raw, $"{prefix}-labels-idx1-ubyte"), labels);
            IdxFiles.WriteGzip(Path.Combine(gz, $"{prefix}-images-idx3-ubyte.gz"), images);
            IdxFiles.WriteGzip(Path.Combine(gz, $"{prefix}-labels-idx1-ubyte.gz"), labels);
        }
        var fromRaw = MnistFormat.Load(raw, "tiny", normalize: false, 0, 1);
        var fromGz = MnistFormat.Load(gz, "tiny", normalize: false, 0, 1);
        Assert.Equal(3, fromRaw.Train.Count);
        Assert.Equal(new[] { 1, 4, 5 }, fromRaw.Train.SampleShape);
        Assert.Equal(new[] { 2, 9, 0 }, fromRaw.Train.Labels);
        // Pixel 13 of sample 2 is byte (40 + 13)·7 mod 256, scaled to [0, 1].
        Assert.Equal((2 * 20 + 13) * 7 % 256 / 255f, fromRaw.Train.Sample(2)[13]);
        Assert.Equal(fromRaw.Train.Features, fromGz.Train.Features);
        Assert.Equal(fromRaw.Test.Labels, fromGz.Test.Labels);
        // Row-major H×W: sample 1, row 3, column 2 is payload byte 20 + 3·5 + 2.
        Assert.Equal((20 + 17) * 7 % 256 / 255f, fromGz.Train.Sample(1)[3 * 5 + 2]);
    }

    [Fact]
    public void Malformed_idx_files_name_the_file()
    {
        string truncated = Path.Combine(_dir, "trunc");
        File.WriteAllBytes(truncated, IdxFiles.Build(IdxReader.ImagesMagic, 10, 28, 28)[..500]);
        Assert.Contains("trunc' is truncated", Assert.Throws<InputException>(() => IdxReader.ReadImages(truncated)).Message);
        string header = Path.Combine(_dir, "header.gz");
        IdxFiles.WriteGzip(header, IdxFiles.Build(IdxReader.ImagesMagic, 10, 28, 28)[..10]);
        Assert.Contains("header.gz' is truncated: header needs 16 bytes", Assert.Throws<InputException>(() => IdxReader.ReadImages(header)).Message);
        string magic = Path.Combine(_dir, "magic");
        File.WriteAllBytes(magic, IdxFiles.Build(IdxReader.LabelsMagic, 20));
        Assert.Contains("magic': bad magic 0x00000801, expected 0x00000803", Assert.Throws<InputException>(() => IdxReader.ReadImages(magic)).Message);
        string longer = Path.Combine(_dir, "longer");
        File.WriteAllBytes(longer, [.. IdxFiles.Build(IdxReader.LabelsMagic, 20), 1, 2]);
        Assert.Contains("longer' has 30 bytes, expected exactly 28", Assert.Throws<InputException>(() => IdxReader.ReadLabels(longer)).Message);
        string huge = Path.Combine(_dir, "huge");
        var hugeHeader = IdxFiles.Build(IdxReader.ImagesMagic, 1, 1, 1);
        hugeHeader.AsSpan(4, 12).Fill(0x7f); // 3 × 2^31-ish dims: must not overflow into a "valid" size
        File.WriteAllBytes(huge, hugeHeader);
        Assert.Contains("huge' is truncated", Assert.Throws<InputException>(() => IdxReader.ReadImages(huge)).Message);
        // A gzip file cut short (an interrupted download) fails on the gzip stream or on the IDX length, naming the file.
        string cut = Path.Combine(_dir, "cut.gz");
        IdxFiles.WriteGzip(cut, IdxFiles.Build(IdxReader.ImagesMagic, 50, 28, 28));
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..(int)(new FileInfo(cut).Length / 2)]);
        Assert.Contains("cut.gz'", Assert.Throws<InputException>(() => IdxReader.ReadImages(cut)).Message);
        string corrupt = Path.Combine(_dir, "corrupt.gz");
        File.WriteAllBytes(corrupt, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x07, 0, 0]); // deflate block type 3 is reserved
        Assert.Contains("corrupt.gz': corrupt gzip", Assert.Throws<InputException>(() => IdxReader.ReadLabels(corrupt)).Message);
        Assert.Contains("missing' not found", Assert.Throws<InputException>(() => IdxReader.ReadLabels(Path.Combine(_dir, "missing"))).Message);
        Assert.Contains("dataset directory", Assert.Throws<InputException>(() => MnistFormat.Load(Path.Combine(_dir, "nodir"), "x", true, 0, 1)).Message);
    }

    [Fact]
    public void Mnist_directory_problems_name_the_file()
    {
        var tiny = WriteTinyMnist(pixels: [1, 2, 3]);
        File.Delete(Path.Combine(tiny.Dir, "t10k-labels-idx1-ubyte"));
        Assert.Contains("t10k-labels-idx1-ubyte.gz' not found", Assert.Throws<InputException>(() => tiny.Load(false)).Message);

        tiny = WriteTinyMnist(pixels: [1, 2, 3], labels: [1, 2]);
        var mismatch = Assert.Throws<InputException>(() => tiny.Load(false)).Message;
        Assert.Contains("train-labels-idx1-ubyte' has 2 labels but", mismatch);
        Assert.Contains("train-images-idx3-ubyte' has 1 images", mismatch);

        tiny = WriteTinyMnist(pixels: [1, 2, 3], labels: [10]);
        Assert.Contains("train-labels-idx1-ubyte': label 10 out of range 0..9", Assert.Throws<InputException>(() => tiny.Load(false)).Message);
    }

    private sealed record TinyMnist(string Dir)
    {
        public TrainTestSets Load(bool normalize) => MnistFormat.LoadFashionMnist(Dir, normalize);
    }

    /// <summary>A one-image 1×N "MNIST" directory (raw files) with the given pixels and labels.</summary>
    private TinyMnist WriteTinyMnist(byte[] pixels, byte[]? labels = null)
    {
        labels ??= [3];
        string dir = Directory.CreateDirectory(Path.Combine(_dir, $"tiny-{_tinyCount++}")).FullName;
        var images = IdxFiles.Build(IdxReader.ImagesMagic, 1, 1, pixels.Length);
        pixels.CopyTo(images, 16);
        var y = IdxFiles.Build(IdxReader.LabelsMagic, labels.Length);
        labels.CopyTo(y, 8);
        foreach (string prefix in new[] { "train", "t10k" })
        {
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), images);
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), y);
        }
        return new TinyMnist(dir);
    }
}
