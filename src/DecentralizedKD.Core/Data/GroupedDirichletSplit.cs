using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// The QGM/CCL/IDKD codes' split, quirks included (build_non_iid_by_dirichlet):
/// shuffle; groups of ≤ 10 "auxiliary workers" over contiguous slices of int(10/n·N) samples (the last group takes
/// the rest); within a group of m workers, per class p ~ Dir(α·1_m) with workers already at capacity (N_g/m) masked
/// out and p renormalised, redrawn until the smallest worker holds int(0.5·N_g/m); then the concatenated worker
/// lists are cut into n equal contiguous chunks of int(N/n), so chunk i is not exactly worker i's list — as in the
/// real code, and what gives every agent the same local dataset size. The remainder beyond n·int(N/n) is unused.
/// </summary>
internal static class GroupedDirichletSplit
{
    public const int AuxiliaryWorkers = 10;

    /// <summary>Group sizes: 16 agents → [10, 6]; 32 → [10, 10, 10, 2].</summary>
    public static int[] GroupSizes(int agents)
    {
        var sizes = new List<int>();
        for (int left = agents; left > 0; left -= AuxiliaryWorkers) sizes.Add(Math.Min(AuxiliaryWorkers, left));
        return sizes.ToArray();
    }

    /// <summary>Samples per group: int(10/n·N) each (same float expression as the Python), the last one the rest.</summary>
    public static int[] GroupSlices(int agents, int total)
    {
        var sizes = GroupSizes(agents);
        int each = (int)(AuxiliaryWorkers / (double)agents * total);
        var slices = new int[sizes.Length];
        for (int g = 0; g < sizes.Length - 1; g++) slices[g] = each;
        slices[^1] = total - each * (sizes.Length - 1);
        return slices;
    }

    public static int[][] Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng, out int[] unused, out int attempts)
    {
        int n = spec.Agents;
        var shuffled = (int[])indices.Clone();
        rng.Shuffle<int>(shuffled);
        var sizes = GroupSizes(n);
        var slices = GroupSlices(n, shuffled.Length);
        var concatenated = new List<int>(shuffled.Length);
        int from = 0;
        attempts = 1;
        for (int g = 0; g < sizes.Length; g++)
        {
            var slice = shuffled.AsSpan(from, slices[g]).ToArray();
            from += slices[g];
            foreach (var worker in Group(slice, labels, numClasses, sizes[g], spec.Alpha, rng, ref attempts)) concatenated.AddRange(worker);
        }
        return SplitMath.EqualChunks(concatenated.ToArray(), n, dropRemainder: true, out unused);
    }

    /// <summary>
    /// One group's capacity-masked Dirichlet loop. Attempts track counts only (masking depends on nothing else);
    /// the accepted draw's proportions then cut each class's indices, in the slice's shuffled order.
    /// </summary>
    private static List<int>[] Group(int[] slice, int[] labels, int numClasses, int m, double alpha, Rng rng, ref int maxAttempts)
    {
        double capacity = slice.Length / (double)m;
        int minSize = (int)(0.5 * slice.Length / m);
        var byClass = SplitMath.ByClass(slice, labels, numClasses); // each class in shuffled order, as np.where keeps it
        var proportions = new double[numClasses][];
        var counts = new int[m];
        var ends = new int[m];
        for (int attempt = 1; attempt <= Partitioner.MaxAttempts; attempt++)
        {
            Array.Clear(counts);
            for (int c = 0; c < numClasses; c++)
            {
                var p = rng.NextDirichlet(m, alpha);
                for (int j = 0; j < m; j++) if (counts[j] >= capacity) p[j] = 0;
                double sum = p.Sum();
                // All workers full can only happen once every sample is placed (the class is then empty): any p works.
                if (sum <= 0) Array.Fill(p, 1.0 / m); else for (int j = 0; j < m; j++) p[j] /= sum;
                proportions[c] = p;
                SplitMath.CutPoints(byClass[c].Count, p, ends);
                SplitMath.AddPartSizes(ends, counts);
            }
            if (counts.Min() < minSize) continue;

            maxAttempts = Math.Max(maxAttempts, attempt);
            var workers = SplitMath.EmptyLists(m);
            for (int c = 0; c < numClasses; c++) SplitMath.CutByProportions(byClass[c].ToArray(), proportions[c], workers);
            return workers;
        }
        throw new InputException($"partition: the grouped Dirichlet split (α = {alpha}) found no assignment giving each of {m} workers ≥ {minSize} samples in {Partitioner.MaxAttempts} draws; raise partition.alpha");
    }
}
