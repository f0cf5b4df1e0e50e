using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

/// <summary>Equal-sized agents, Dirichlet label mix per group: what the QGM, CCL and IDKD codes use.</summary>
public sealed class GroupedDirichletPartitioner : PartitionerDescriptor
{
    public override string Name => "dirichlet-grouped";
    public override string Description => "the QGM/CCL/IDKD codes' split: Dir(partition.alpha) within groups of <= 10 workers, then equal chunks";
    public override bool UsesAlpha => true;

    public override PartitionDraw Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng)
    {
        var agents = GroupedDirichletSplit.Split(indices, labels, numClasses, spec, rng, out int[] unused, out int attempts);
        return new(agents, unused, attempts);
    }
}
