namespace DecentralizedKD.Core.Data;

/// <summary>MNIST-format datasets (Fashion-MNIST, MNIST): four IDX files in one directory, gzip or raw.</summary>
public static class MnistFormat
{
    // The customary per-pixel statistics of each training set; bench/pytorch_reference.py normalises with the same ones.
    public const float FashionMean = 0.2860f, FashionStd = 0.3530f;
    public const float MnistMean = 0.1307f, MnistStd = 0.3081f;

    public static TrainTestSets LoadFashionMnist(string directory, bool normalize) =>
        Load(directory, "fashion-mnist", normalize, FashionMean, FashionStd);

    public static TrainTestSets LoadMnist(string directory, bool normalize) =>
        Load(directory, "mnist", normalize, MnistMean, MnistStd);

    /// <summary>Pixels become byte/255, then (v − mean)/std when <paramref name="normalize"/> (see <see cref="PixelNormalization"/>).</summary>
    public static TrainTestSets Load(string directory, string name, bool normalize, float mean, float std)
    {
        if (!Directory.Exists(directory))
            throw new InputException($"dataset directory '{directory}' not found (for Fashion-MNIST: apt-get install dataset-fashion-mnist)");
        return new TrainTestSets(
            LoadPart(directory, name + "-train", "train", normalize, mean, std),
            LoadPart(directory, name + "-test", "t10k", normalize, mean, std));
    }

    private static Dataset LoadPart(string dir, string name, string prefix, bool normalize, float mean, float std)
    {
        string images = Find(dir, $"{prefix}-images-idx3-ubyte"), labels = Find(dir, $"{prefix}-labels-idx1-ubyte");
        var (pixels, count, rows, cols) = IdxReader.ReadImages(images);
        byte[] y = IdxReader.ReadLabels(labels);
        if (y.Length != count)
            throw new InputException($"'{labels}' has {y.Length} labels but '{images}' has {count} images");
        int max = y.Max();
        if (max >= 10) throw new InputException($"'{labels}': label {max} out of range 0..9");
        var features = new float[pixels.Length];
        PixelNormalization.Apply(pixels, features, PixelNormalization.Table(normalize, mean, std));
        return new Dataset(name, [1, rows, cols], 10, features, y.Select(v => (int)v).ToArray());
    }

    private static string Find(string dir, string stem)
    {
        foreach (string candidate in new[] { stem + ".gz", stem })
        {
            string p = Path.Combine(dir, candidate);
            if (File.Exists(p)) return p;
        }
        throw new InputException($"data file '{Path.Combine(dir, stem + ".gz")}' not found (nor the uncompressed '{stem}')");
    }
}
