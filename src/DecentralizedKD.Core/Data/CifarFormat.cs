namespace DecentralizedKD.Core.Data;

/// <summary>
/// CIFAR-10/100 standard binary format. CIFAR-10: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32)
/// in data_batch_1..5.bin and test_batch.bin. CIFAR-100: 2 label bytes (coarse, fine) + 3072 in train.bin, test.bin.
/// No download code: the files must be present.
/// </summary>
public static class CifarFormat
{
    public const int PixelBytes = 3 * 32 * 32;
    private static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];
    private static readonly float[] Std = [0.2470f, 0.2435f, 0.2616f];

    public static DataSplit LoadCifar10(string dir, bool normalize) => new(
        Read(Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")), "cifar10-train", 1, 0, 10, normalize),
        Read([Path.Combine(dir, "test_batch.bin")], "cifar10-test", 1, 0, 10, normalize));

    public static DataSplit LoadCifar100(string dir, bool normalize, bool coarse = false)
    {
        int labelIndex = coarse ? 0 : 1, classes = coarse ? 20 : 100;
        return new DataSplit(
            Read([Path.Combine(dir, "train.bin")], "cifar100-train", 2, labelIndex, classes, normalize),
            Read([Path.Combine(dir, "test.bin")], "cifar100-test", 2, labelIndex, classes, normalize));
    }

    public static Dataset Read(IEnumerable<string> files, string name, int labelBytes, int labelIndex, int classes, bool normalize)
    {
        int record = labelBytes + PixelBytes;
        var features = new List<float>();
        var labels = new List<int>();
        foreach (string path in files)
        {
            byte[] b = CompressedFile.ReadAll(path);
            if (b.Length == 0 || b.Length % record != 0)
                throw new InputException($"CIFAR file '{path}': size {b.Length} is not a multiple of the {record}-byte record");
            for (int off = 0; off < b.Length; off += record)
            {
                int label = b[off + labelIndex];
                if (label >= classes) throw new InputException($"CIFAR file '{path}': label {label} at record {off / record} out of range 0..{classes - 1}");
                labels.Add(label);
                for (int c = 0; c < 3; c++)
                {
                    float scale = normalize ? 1f / (255f * Std[c]) : 1f / 255f, shift = normalize ? Mean[c] / Std[c] : 0f;
                    int plane = off + labelBytes + c * 1024;
                    for (int p = 0; p < 1024; p++) features.Add(b[plane + p] * scale - shift);
                }
            }
        }
        return new Dataset(name, [3, 32, 32], classes, features.ToArray(), labels.ToArray());
    }
}
