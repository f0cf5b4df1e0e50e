using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>Seeded non-IID partitioners (DESIGN.md §2, ALGORITHMS.md §0.1). Same labels + spec + seed ⇒ same partition.</summary>
public static class Partitioner
{
    public static readonly string[] Kinds = ["iid", "dirichlet", "dirichlet-grouped", "shards"];
    private const int MaxAttempts = 10_000;

    public static Partition Split(int[] labels, int numClasses, PartitionSpec spec, ulong seed)
    {
        Validate(labels.Length, spec);
        var rng = new Rng(seed);
        // The public pool is carved out first so that changing the partition kind never changes the pool.
        var all = rng.Permutation(labels.Length);
        int publicCount = (int)Math.Round(spec.PublicFraction * labels.Length);
        int[] publicPool = all[..publicCount].Order().ToArray();
        int[] rest = all[publicCount..].Order().ToArray();
        if (rest.Length < spec.Agents)
            throw new InputException($"partition: {spec.Agents} agents but only {rest.Length} training samples outside the public pool");

        int[] unused = [];
        int[][] agents = spec.Kind switch
        {
            "iid" => Iid(rest, spec.Agents, rng),
            "dirichlet" => Dirichlet(rest, labels, numClasses, spec, rng),
            "shards" => Shards(rest, labels, spec, rng),
            "dirichlet-grouped" => DirichletGrouped(rest, labels, numClasses, spec, rng, out unused),
            _ => throw new InputException($"partition.kind = '{spec.Kind}': expected one of {string.Join(" | ", Kinds)}"),
        };
        return Partition.Create(agents, publicPool, unused, labels, numClasses);
    }

    private static void Validate(int samples, PartitionSpec spec)
    {
        if (spec.Agents <= 0) throw new InputException($"partition: agents = {spec.Agents}, expected > 0");
        if (!Kinds.Contains(spec.Kind)) throw new InputException($"partition.kind = '{spec.Kind}': expected one of {string.Join(" | ", Kinds)}");
        if (spec.Kind.StartsWith("dirichlet", StringComparison.Ordinal) && !(spec.Alpha > 0))
            throw new InputException($"partition.alpha = {spec.Alpha}: expected a number > 0");
        if (spec.PublicFraction is < 0 or >= 1) throw new InputException($"dataset.public-fraction = {spec.PublicFraction}: expected a number in [0, 1)");
        if (spec.Agents > samples) throw new InputException($"partition: {spec.Agents} agents but only {samples} training samples");
        if (spec.MinSamples < 0) throw new InputException($"partition.min-samples = {spec.MinSamples}: expected >= 0");
        if (spec.Kind == "dirichlet" && (long)spec.MinSamples * spec.Agents > samples)
            throw new InputException($"partition.min-samples = {spec.MinSamples}: {spec.Agents} agents cannot each hold that many of {samples} samples");
        if (spec.Kind == "shards" && (spec.ShardsPerAgent < 1 || (long)spec.ShardsPerAgent * spec.Agents > samples))
            throw new InputException($"partition.shards-per-agent = {spec.ShardsPerAgent}: expected 1..{samples / spec.Agents} for {spec.Agents} agents and {samples} samples");
    }

    /// <summary>Shuffle, then equal contiguous slices (sizes differ by at most one).</summary>
    private static int[][] Iid(int[] indices, int agents, Rng rng)
    {
        var shuffled = (int[])indices.Clone();
        rng.Shuffle<int>(shuffled);
        return EqualChunks(shuffled, agents, dropRemainder: false, out _);
    }

    /// <summary>Per class c: p ~ Dir(α·1_N) and the shuffled class-c indices cut at the cumulative proportions; redrawn until every agent has min-samples (reference script).</summary>
    private static int[][] Dirichlet(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng)
    {
        var byClass = ByClass(indices, labels, numClasses);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var parts = Enumerable.Range(0, spec.Agents).Select(_ => new List<int>()).ToArray();
            foreach (var cls in byClass)
            {
                var idx = cls.ToArray();
                rng.Shuffle<int>(idx);
                var p = rng.NextDirichlet(spec.Agents, spec.Alpha);
                CutByProportions(idx, p, parts);
            }
            if (parts.Min(l => l.Count) >= spec.MinSamples) return parts.Select(l => l.ToArray()).ToArray();
        }
        throw new InputException($"partition: no Dirichlet(α = {spec.Alpha}) split gave every one of {spec.Agents} agents at least {spec.MinSamples} samples in {MaxAttempts} draws; lower partition.min-samples or raise α");
    }

    /// <summary>Sort by label, cut into agents × k equal shards, give every agent k random shards.</summary>
    private static int[][] Shards(int[] indices, int[] labels, PartitionSpec spec, Rng rng)
    {
        var sorted = indices.OrderBy(i => labels[i]).ThenBy(i => i).ToArray();
        int shards = spec.Agents * spec.ShardsPerAgent;
        var pieces = EqualChunks(sorted, shards, dropRemainder: false, out _);
        var order = rng.Permutation(shards);
        return Enumerable.Range(0, spec.Agents)
            .Select(a => Enumerable.Range(0, spec.ShardsPerAgent).SelectMany(k => pieces[order[a * spec.ShardsPerAgent + k]]).ToArray())
            .ToArray();
    }

    /// <summary>
    /// The QGM/CCL/IDKD codes' split (ALGORITHMS.md §0.1): groups of ≤ 10 workers over contiguous slices of a shuffled
    /// list, capacity-masked Dirichlet within each group, then the concatenation cut into n equal contiguous chunks
    /// (so chunk i is not exactly worker i's list — as in the real code). The remainder beyond n·⌊N/n⌋ is unused.
    /// </summary>
    private static int[][] DirichletGrouped(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng, out int[] unused)
    {
        int n = spec.Agents, total = indices.Length;
        var shuffled = (int[])indices.Clone();
        rng.Shuffle<int>(shuffled);
        var groupSizes = new List<int>();
        for (int left = n; left > 0; left -= 10) groupSizes.Add(Math.Min(10, left));
        var concatenated = new List<int>(total);
        int from = 0;
        for (int g = 0; g < groupSizes.Count; g++)
        {
            int take = g < groupSizes.Count - 1 ? (int)(10.0 / n * total) : total - from;
            var slice = shuffled.AsSpan(from, take).ToArray();
            from += take;
            foreach (var worker in GroupDirichlet(slice, labels, numClasses, groupSizes[g], spec.Alpha, rng)) concatenated.AddRange(worker);
        }
        return EqualChunks(concatenated.ToArray(), n, dropRemainder: true, out unused);
    }

    private static List<int>[] GroupDirichlet(int[] slice, int[] labels, int numClasses, int m, double alpha, Rng rng)
    {
        double capacity = slice.Length / (double)m;
        int minSize = (int)(0.5 * capacity);
        var byClass = ByClass(slice, labels, numClasses);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var workers = Enumerable.Range(0, m).Select(_ => new List<int>()).ToArray();
            foreach (var cls in byClass)
            {
                var p = rng.NextDirichlet(m, alpha);
                for (int j = 0; j < m; j++) if (workers[j].Count >= capacity) p[j] = 0;
                double sum = p.Sum();
                if (sum <= 0) Array.Fill(p, 1.0 / m); else for (int j = 0; j < m; j++) p[j] /= sum;
                CutByProportions(cls.ToArray(), p, workers);
            }
            if (workers.Min(w => w.Count) >= minSize) return workers;
        }
        throw new InputException($"partition: the grouped Dirichlet split (α = {alpha}) found no group assignment with every worker ≥ {minSize} samples in {MaxAttempts} draws");
    }

    /// <summary>numpy's split(idx, (cumsum(p)·len).astype(int)[:-1]).</summary>
    private static void CutByProportions(int[] idx, double[] p, List<int>[] parts)
    {
        double cumulative = 0;
        int start = 0;
        for (int j = 0; j < parts.Length; j++)
        {
            cumulative += p[j];
            int end = j == parts.Length - 1 ? idx.Length : Math.Min(idx.Length, (int)(cumulative * idx.Length));
            end = Math.Max(end, start);
            for (int k = start; k < end; k++) parts[j].Add(idx[k]);
            start = end;
        }
    }

    private static List<int>[] ByClass(int[] indices, int[] labels, int numClasses)
    {
        var byClass = Enumerable.Range(0, numClasses).Select(_ => new List<int>()).ToArray();
        foreach (int i in indices) byClass[labels[i]].Add(i);
        return byClass;
    }

    private static int[][] EqualChunks(int[] items, int chunks, bool dropRemainder, out int[] remainder)
    {
        var result = new int[chunks][];
        int size = items.Length / chunks, extra = dropRemainder ? 0 : items.Length % chunks, from = 0;
        for (int c = 0; c < chunks; c++)
        {
            int len = size + (c < extra ? 1 : 0);
            result[c] = items.AsSpan(from, len).ToArray();
            from += len;
        }
        remainder = items[from..];
        return result;
    }
}
