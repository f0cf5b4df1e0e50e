using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>
/// The common Dirichlet label split (bench/pytorch_reference.py draws it the same way): per class c, p ~ Dir(α·1_N)
/// and the shuffled class-c indices cut at the cumulative proportions; the whole draw is repeated until every
/// agent holds at least min-samples. Small α ⇒ each class lands on few agents ⇒ few classes per agent.
/// Each attempt only draws the proportions and counts what every agent would get (the counts do not depend on the
/// shuffle); indices are shuffled and cut once, for the accepted draw. Same distribution as redrawing everything,
/// but a rejected attempt costs microseconds, which is what lets the attempt bound be generous.
/// </summary>
internal static class DirichletSplit
{
    public static int[][] Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng, out int attempts)
    {
        int n = spec.Agents;
        var byClass = SplitMath.ByClass(indices, labels, numClasses);
        var proportions = new double[numClasses][];
        var counts = new int[n];
        var ends = new int[n];
        for (attempts = 1; attempts <= Partitioner.MaxAttempts; attempts++)
        {
            Array.Clear(counts);
            for (int c = 0; c < numClasses; c++)
            {
                proportions[c] = rng.NextDirichlet(n, spec.Alpha);
                SplitMath.CutPoints(byClass[c].Count, proportions[c], ends);
                SplitMath.AddPartSizes(ends, counts);
            }
            if (counts.Min() < spec.MinSamples) continue;

            var parts = SplitMath.EmptyLists(n);
            for (int c = 0; c < numClasses; c++)
            {
                var idx = byClass[c].ToArray(); // ascending, as np.flatnonzero gives it, then shuffled
                rng.Shuffle<int>(idx);
                SplitMath.CutByProportions(idx, proportions[c], parts);
            }
            return parts.Select(l => l.ToArray()).ToArray();
        }
        throw new InputException($"partition: no Dirichlet(α = {spec.Alpha}) split gave every one of {n} agents at least {spec.MinSamples} samples in {Partitioner.MaxAttempts} draws; lower partition.min-samples or raise partition.alpha");
    }
}
