using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Data;

public sealed class DirichletPartitioner : PartitionerDescriptor
{
    public override string Name => "dirichlet";
    public override string Description => "per class, agent shares ~ Dir(partition.alpha), redrawn until every agent holds partition.min-samples (Hsu et al., 2019)";
    public override bool UsesAlpha => true;

    public override void Validate(int samples, PartitionSpec spec)
    {
        if ((long)spec.MinSamples * spec.Agents > samples)
            throw new InputException($"partition.min-samples = {spec.MinSamples}: {spec.Agents} agents cannot each hold that many of {samples} samples");
    }

    public override PartitionDraw Split(int[] indices, int[] labels, int numClasses, PartitionSpec spec, Rng rng)
    {
        var agents = DirichletSplit.Split(indices, labels, numClasses, spec, rng, out int attempts);
        return new(agents, [], attempts);
    }
}
