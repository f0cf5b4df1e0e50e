using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

public sealed class IidPartitioner : PartitionerDescriptor
{
    public override string Name => "iid";
    public override string Description => "shuffle, then equal slices (sizes differ by at most one)";
    public override PartitionDraw Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng) =>
        new(IidSplit.Split(indices, spec.Agents, rng));
}
