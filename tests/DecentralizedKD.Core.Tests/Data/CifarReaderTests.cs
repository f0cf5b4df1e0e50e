using DecentralizedKD.Core.Data;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class CifarReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-cifar-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Byte at channel c, row h, column w of record r: distinct enough to catch any layout mix-up.</summary>
    private static byte Pixel(int r, int c, int h, int w) => (byte)((r * 31 + c * 71 + h * 5 + w * 3) % 256);

    private static byte[] Record(int r, params byte[] labels)
    {
        var rec = new byte[labels.Length + CifarFormat.PixelBytes];
        labels.CopyTo(rec, 0);
        // File layout: all of R (row-major 32×32), then all of G, then all of B.
        for (int c = 0; c < 3; c++)
            for (int h = 0; h < 32; h++)
                for (int w = 0; w < 32; w++)
                    rec[labels.Length + c * 1024 + h * 32 + w] = Pixel(r, c, h, w);
        return rec;
    }

    private string Cifar10Dir()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, "c10")).FullName;
        // Batch i holds records 2i−2 (label i) and 2i−1 (label 7).
        for (int i = 1; i <= 5; i++)
            File.WriteAllBytes(Path.Combine(dir, $"data_batch_{i}.bin"), [.. Record(2 * i - 2, (byte)i), .. Record(2 * i - 1, 7)]);
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), [.. Record(100, 3), .. Record(101, 0), .. Record(102, 9)]);
        return dir;
    }

    [Fact]
    public void Cifar10_round_trips_labels_and_chw_pixels_across_batch_files()
    {
        var c10 = CifarFormat.LoadCifar10(Cifar10Dir(), normalize: false);
        Assert.Equal(10, c10.Train.Count);
        Assert.Equal(3, c10.Test.Count);
        Assert.Equal(10, c10.Train.NumClasses);
        Assert.Equal(new[] { 1, 7, 2, 7, 3, 7, 4, 7, 5, 7 }, c10.Train.Labels);
        Assert.Equal(new[] { 3, 0, 9 }, c10.Test.Labels);
        Assert.Equal(new[] { 3, 32, 32 }, c10.Train.SampleShape);
        // Every value of every record in CHW order (index c·1024 + h·32 + w).
        for (int r = 0; r < 10; r++)
        {
            var s = c10.Train.Sample(r);
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 32; h++)
                    for (int w = 0; w < 32; w++)
                        Assert.Equal(Pixel(r, c, h, w) / 255f, s[c * 1024 + h * 32 + w]);
        }
        Assert.Equal(Pixel(102, 2, 31, 30) / 255f, c10.Test.Sample(2)[2 * 1024 + 31 * 32 + 30]);
    }

    [Fact]
    public void Cifar_normalisation_uses_per_channel_mean_and_std()
    {
        var c10 = CifarFormat.LoadCifar10(Cifar10Dir(), normalize: true);
        float[] mean = [0.4914f, 0.4822f, 0.4465f], std = [0.2470f, 0.2435f, 0.2616f];
        var s = c10.Train.Sample(3);
        for (int c = 0; c < 3; c++)
            foreach (int p in new[] { 0, 517, 1023 })
                Assert.Equal((Pixel(3, c, p / 32, p % 32) / 255f - mean[c]) / std[c], s[c * 1024 + p]);
    }

    [Fact]
    public void Cifar100_reads_fine_labels_by_default_and_coarse_on_request()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, "c100")).FullName;
        File.WriteAllBytes(Path.Combine(dir, "train.bin"), [.. Record(0, 4, 42), .. Record(1, 19, 99), .. Record(2, 0, 0)]);
        File.WriteAllBytes(Path.Combine(dir, "test.bin"), Record(0, 0, 5));
        var fine = CifarFormat.LoadCifar100(dir, false);
        Assert.Equal(new[] { 42, 99, 0 }, fine.Train.Labels);
        Assert.Equal(100, fine.Train.NumClasses);
        Assert.Equal(Pixel(1, 1, 7, 9) / 255f, fine.Train.Sample(1)[1024 + 7 * 32 + 9]);
        var coarse = CifarFormat.LoadCifar100(dir, false, coarse: true);
        Assert.Equal(new[] { 4, 19, 0 }, coarse.Train.Labels);
        Assert.Equal(20, coarse.Train.NumClasses);
        Assert.Equal(fine.Train.Features, coarse.Train.Features);
    }

    [Fact]
    public void Bad_cifar_files_name_the_file()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, "bad")).FullName;
        File.WriteAllBytes(Path.Combine(dir, "test.bin"), Record(0, 0, 5));
        File.WriteAllBytes(Path.Combine(dir, "train.bin"), new byte[3075]);
        Assert.Contains("train.bin': size 3075 is not a positive multiple of the 3074-byte record",
            Assert.Throws<InputException>(() => CifarFormat.LoadCifar100(dir, false)).Message);
        // A CIFAR-10 file given to the CIFAR-100 reader: wrong record size.
        File.WriteAllBytes(Path.Combine(dir, "train.bin"), [.. Record(0, 1), .. Record(1, 2)]);
        Assert.Contains("train.bin': size 6146", Assert.Throws<InputException>(() => CifarFormat.LoadCifar100(dir, false)).Message);
        File.WriteAllBytes(Path.Combine(dir, "train.bin"), [.. Record(0, 3, 4), .. Record(1, 20, 4)]);
        Assert.Contains("train.bin': label byte 0 = 20 at record 1 out of range 0..19",
            Assert.Throws<InputException>(() => CifarFormat.LoadCifar100(dir, false)).Message);
        File.WriteAllBytes(Path.Combine(dir, "train.bin"), Record(0, 3, 100));
        Assert.Contains("label byte 1 = 100", Assert.Throws<InputException>(() => CifarFormat.LoadCifar100(dir, false)).Message);

        string c10 = Cifar10Dir();
        File.WriteAllBytes(Path.Combine(c10, "data_batch_4.bin"), Record(0, 10));
        Assert.Contains("data_batch_4.bin': label byte 0 = 10", Assert.Throws<InputException>(() => CifarFormat.LoadCifar10(c10, false)).Message);
        File.Delete(Path.Combine(c10, "data_batch_4.bin"));
        Assert.Contains("data_batch_4.bin' not found", Assert.Throws<InputException>(() => CifarFormat.LoadCifar10(c10, false)).Message);
        Assert.Contains("none' not found", Assert.Throws<InputException>(() => CifarFormat.LoadCifar100(Path.Combine(_dir, "none"), false)).Message);
    }
}
