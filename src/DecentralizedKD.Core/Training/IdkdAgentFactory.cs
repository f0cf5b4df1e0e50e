using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Training;

/// <summary>Builds one agent's <see cref="IdkdAlgorithm"/> from the experiment setup (the <c>idkd</c> case of <see cref="AgentRuntime"/>).</summary>
public static class IdkdAgentFactory
{
    public static IdkdAlgorithm Create(ExperimentSetup setup, int id, ClassifierModel model, MixingRow row,
        SgdSettings sgd, LearningRateSchedule lr, ComputeDevice device)
    {
        var c = setup.Config;
        var k = c.Algorithm.Idkd;
        if (setup.Partition.PublicIndices.Length == 0)
            throw new InputException($"experiment.dataset.public-fraction = {c.Dataset.PublicFraction}: idkd needs a non-empty public pool, expected > 0 (e.g. 0.1)");
        var (train, validation) = SplitValidation(setup.Partition.AgentIndices[id], k, Rng.DeriveSeed(c.Seed, id, "idkd-validation"));
        var pool = new PublicPool(setup.Data.Train, setup.Partition.PublicIndices);
        // Same batch seed as the other methods: before the first exchange (fixed τ) IDKD draws QGM's batches.
        var source = new IdkdTrainingSource(model, new FlatParameters(model, device), setup.Data.Train, train, pool, c.Optimizer.BatchSize, Rng.DeriveSeed(c.Seed, id, "batches"));
        var qgm = new Qgm(source, row, sgd, lr, c.Optimizer.LocalSteps, QgmVariant.Ema, c.Algorithm.QgmMu < 0 ? double.NaN : c.Algorithm.QgmMu);
        return new IdkdAlgorithm(qgm, source, model, pool, setup.Data.Train, validation, k,
            ExchangeSchedule.FromFractions(k.Start, k.Period, c.Rounds), row, setup.Partition.LabelHistograms, setup.PublicSamples);
    }

    /// <summary>
    /// Youden calibration holds out a seeded validation-fraction of the agent's own samples (at least one, leaving at
    /// least one to train on); fixed τ trains on all of them.
    /// </summary>
    public static (int[] Train, int[] Validation) SplitValidation(int[] own, IdkdConfig k, ulong seed)
    {
        if (k.Calibration != "youden") return (own, []);
        if (!(k.ValidationFraction > 0))
            throw new InputException($"experiment.algorithm.idkd.validation-fraction = {k.ValidationFraction}: calibration = youden needs a value > 0");
        int held = Math.Max(1, (int)Math.Round(k.ValidationFraction * own.Length, MidpointRounding.AwayFromZero));
        if (held >= own.Length)
            throw new InputException($"experiment.algorithm.idkd.validation-fraction = {k.ValidationFraction}: leaves no training samples for an agent with {own.Length}");
        var perm = new Rng(seed).Permutation(own.Length);
        var isValidation = new bool[own.Length];
        for (int i = 0; i < held; i++) isValidation[perm[i]] = true;
        // Both parts keep the partition's order, so the batch stream depends only on which samples were held out.
        return (own.Where((_, i) => !isValidation[i]).ToArray(), own.Where((_, i) => isValidation[i]).ToArray());
    }
}
