namespace DecentralizedKD.Core.Data;

/// <summary>
/// CIFAR-10/100 standard binary format. CIFAR-10: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32)
/// in data_batch_1..5.bin and test_batch.bin. CIFAR-100: 2 label bytes (coarse, fine) + 3072 in train.bin, test.bin.
/// The pixel planes are already channel-major, which is exactly the CHW layout models want, so a record's pixels are
/// converted in one pass with no reordering. No download code: the files must be present.
/// </summary>
public static class CifarFormat
{
    public const int PixelBytes = 3 * 32 * 32;
    private const int Plane = 32 * 32;
    // The usual CIFAR-10 training-set channel statistics (also used for CIFAR-100 by the reference codes).
    private static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];
    private static readonly float[] Std = [0.2470f, 0.2435f, 0.2616f];

    public static TrainTestSets LoadCifar10(string dir, bool normalize)
    {
        RequireDirectory(dir);
        return new TrainTestSets(
            Read(Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")), "cifar10-train", 1, 0, 10, normalize),
            Read([Path.Combine(dir, "test_batch.bin")], "cifar10-test", 1, 0, 10, normalize));
    }

    /// <summary>Fine labels (100 classes) by default; <paramref name="coarse"/> selects the 20 superclasses.</summary>
    public static TrainTestSets LoadCifar100(string dir, bool normalize, bool coarse = false)
    {
        int labelIndex = coarse ? 0 : 1, classes = coarse ? 20 : 100;
        RequireDirectory(dir);
        return new TrainTestSets(
            Read([Path.Combine(dir, "train.bin")], "cifar100-train", 2, labelIndex, classes, normalize),
            Read([Path.Combine(dir, "test.bin")], "cifar100-test", 2, labelIndex, classes, normalize));
    }

    private static void RequireDirectory(string dir)
    {
        if (!Directory.Exists(dir))
            throw new InputException($"dataset directory '{dir}' not found (expected the CIFAR binary version: data_batch_1..5.bin + test_batch.bin, or train.bin + test.bin)");
    }

    /// <summary>
    /// Reads and concatenates record files. With two label bytes (CIFAR-100) both are range-checked (coarse &lt; 20,
    /// fine &lt; 100) whichever is used, because a wrong byte there means a wrong or corrupt file.
    /// </summary>
    internal static Dataset Read(IEnumerable<string> files, string name, int labelBytes, int labelIndex, int classes, bool normalize)
    {
        int record = labelBytes + PixelBytes;
        var contents = files.Select(path => (Path: path, Bytes: CompressedFile.ReadAll(path))).ToList();
        foreach (var (path, b) in contents)
            if (b.Length == 0 || b.Length % record != 0)
                throw new InputException($"CIFAR file '{path}': size {b.Length} is not a positive multiple of the {record}-byte record");
        long total = contents.Sum(c => (long)(c.Bytes.Length / record));
        if (total * PixelBytes > Array.MaxLength) throw new InputException($"CIFAR files for {name}: {total} records do not fit in one array");

        // Sized once up front: the train set is 153.6M floats, and growing a list to that size would briefly need
        // several times the memory.
        var features = new float[total * PixelBytes];
        var labels = new int[total];
        var tables = Enumerable.Range(0, 3).Select(c => PixelNormalization.Table(normalize, Mean[c], Std[c])).ToArray();
        int[] labelLimits = labelBytes == 2 ? [20, 100] : [classes];
        int n = 0;
        foreach (var (path, b) in contents)
            for (int off = 0; off < b.Length; off += record, n++)
            {
                for (int k = 0; k < labelBytes; k++)
                    if (b[off + k] >= labelLimits[k])
                        throw new InputException($"CIFAR file '{path}': label byte {k} = {b[off + k]} at record {off / record} out of range 0..{labelLimits[k] - 1}");
                labels[n] = b[off + labelIndex];
                for (int c = 0; c < 3; c++)
                    PixelNormalization.Apply(b.AsSpan(off + labelBytes + c * Plane, Plane),
                        features.AsSpan(n * PixelBytes + c * Plane, Plane), tables[c]);
            }
        return new Dataset(name, [3, 32, 32], classes, features, labels);
    }
}
