using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// Seeded synthetic classification data: class means μ_c ~ N(0, (s²/d)·I) and samples μ_c + N(0, I), so two class
/// means are ≈ s·√2 noise standard deviations apart whatever the dimension d. Larger separability s ⇒ easier.
/// Train and test share the class means.
/// </summary>
public static class SyntheticData
{
    public static TrainTestSets Generate(int trainSize, int testSize, int numClasses, int[] sampleShape, double separability, ulong seed)
    {
        int d = sampleShape.Aggregate(1, (a, b) => a * b);
        var meanRng = Rng.Derive(seed, 0, "synthetic-means");
        double scale = separability / Math.Sqrt(d);
        var means = new float[numClasses * d];
        // Images (C×H×W, H and W divisible by 4) get class means that are constant on 4×4 blocks: spatially smooth
        // patterns a CNN can pick up, with the same between-class distance as i.i.d. per-pixel means.
        int block = sampleShape.Length == 3 && sampleShape[1] % 4 == 0 && sampleShape[2] % 4 == 0 ? 4 : 1;
        for (int c = 0; c < numClasses; c++)
            for (int i = 0; i < d; i++)
            {
                int w = block == 1 ? 1 : sampleShape[2];
                int h = block == 1 ? 1 : sampleShape[1];
                int ch = i / (h * w), y = i / w % h, x = i % w;
                bool blockOrigin = y % block == 0 && x % block == 0;
                int origin = ch * h * w + y / block * block * w + x / block * block;
                means[c * d + i] = blockOrigin ? (float)(meanRng.NextNormal() * scale) : means[c * d + origin];
            }
        return new TrainTestSets(
            Sample("synthetic-train", trainSize, numClasses, sampleShape, means, Rng.Derive(seed, 1, "synthetic-samples")),
            Sample("synthetic-test", testSize, numClasses, sampleShape, means, Rng.Derive(seed, 2, "synthetic-samples")));
    }

    private static Dataset Sample(string name, int count, int numClasses, int[] shape, float[] means, Rng rng)
    {
        int d = shape.Aggregate(1, (a, b) => a * b);
        var x = new float[count * d];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % numClasses; // balanced classes
            y[i] = c;
            for (int k = 0; k < d; k++) x[i * d + k] = means[c * d + k] + (float)rng.NextNormal();
        }
        // Shuffle order so that class is not a function of position (contiguous slices stay balanced on average).
        var perm = rng.Permutation(count);
        var xs = new float[x.Length];
        var ys = new int[count];
        for (int i = 0; i < count; i++)
        {
            ys[i] = y[perm[i]];
            Array.Copy(x, perm[i] * d, xs, i * d, d);
        }
        return new Dataset(name, shape, numClasses, xs, ys);
    }
}
