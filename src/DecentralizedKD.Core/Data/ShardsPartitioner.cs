using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

public sealed class ShardsPartitioner : PartitionerDescriptor
{
    public override string Name => "shards";
    public override string Description => "sort by label, cut into agents × partition.shards-per-agent shards, deal them out (McMahan et al., 2017)";

    public override void Validate(int samples, PartitionSpec spec)
    {
        if (spec.ShardsPerAgent < 1 || (long)spec.ShardsPerAgent * spec.Agents > samples)
            throw new InputException($"partition.shards-per-agent = {spec.ShardsPerAgent}: expected 1..{samples / spec.Agents} for {spec.Agents} agents and {samples} samples");
    }

    public override PartitionDraw Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng) =>
        new(ShardSplit.Split(indices, labels, spec, rng));
}
