using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;

namespace DecentralizedKD.Core.Training;

/// <summary>Builds agent i's MHD algorithm from the experiment setup, and checks the settings MHD depends on.</summary>
public static class MhdAgent
{
    /// <summary>Config errors MHD would otherwise hit only inside an agent: checked once, before any run starts.</summary>
    public static void Validate(Config.ExperimentConfig c, int publicPoolSize)
    {
        if (c.Model.Heads < 2)
            throw new InputException($"experiment.model.heads = {c.Model.Heads}: mhd needs >= 2 (the main head plus K >= 1 auxiliary heads)");
        if (c.Dataset.PublicFraction <= 0)
            throw new InputException("experiment.dataset.public-fraction = 0: mhd distils on a public pool, expected > 0 (e.g. 0.1)");
        if (c.Algorithm.Mhd.HeadWeights.Length == 0)
            throw new InputException("experiment.algorithm.mhd.head-weights: expected a non-empty list (ν_k per auxiliary head, last value repeats)");
        if (c.Algorithm.Mhd.PublicBatchSize > publicPoolSize)
            throw new InputException($"experiment.algorithm.mhd.public-batch-size = {c.Algorithm.Mhd.PublicBatchSize}: larger than the public pool ({publicPoolSize} samples; raise experiment.dataset.public-fraction)");
        MhdTargets.ParseRule(c.Algorithm.Mhd.Target);
    }

    public static Mhd Create(ExperimentSetup setup, int id, ClassifierModel model, BatchSampler sampler, SgdSettings sgd, LearningRateSchedule lr,
        ComputeDevice device)
    {
        var c = setup.Config;
        Validate(c, setup.Partition.PublicIndices.Length);
        if (model is not MultiHeadModel heads)
            throw new InputException($"experiment.model.heads = {c.Model.Heads}: mhd needs a multi-head model (heads >= 2)");
        var flat = new FlatParameters(heads, device);
        var pool = new PublicPool(setup.Data.Train, setup.Partition.PublicIndices);
        var learner = new MhdLearner(heads, flat, setup.Data.Train, sampler, pool);
        return new Mhd(learner, setup.Row(id), c.Algorithm.Mhd, sgd, lr, c.Seed, pool.Count, c.Optimizer.LocalSteps);
    }
}
