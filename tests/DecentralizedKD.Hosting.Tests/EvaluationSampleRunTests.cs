using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// <c>eval.sample-agents</c> changes only which agents run a test pass: the sampled agents' accuracies, the averaged
/// model and the consensus distance equal those of a run that evaluates everyone.
/// </summary>
[Collection("engine")]
public sealed class EvaluationSampleRunTests
{
    private const int Agents = 8, Sample = 3;

    private static (RunResult Result, HostProcess Setup) Run(params string[] sets)
    {
        string[] small = [$"agents={Agents}", "rounds=8", "eval-every=4", "dataset.test-samples=200", "model.name=mlp", "model.hidden=[16]",
            "algorithm.name=dpsgd"];
        var setup = HostProcess.Build(ExperimentConfigLoader.Load(null, [.. small, .. sets]).Config);
        var result = LocalRun.Run(setup);
        Assert.Null(result.Error);
        return (result, setup);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public void A_sample_reports_its_agents_accuracies_and_the_same_averaged_model_and_consensus(string mode)
    {
        var (all, _) = Run($"mode={mode}");
        var (sampled, setup) = Run($"mode={mode}", $"eval.sample-agents={Sample}");
        Assert.Equal(all.Metrics.Count, sampled.Metrics.Count);
        for (int k = 0; k < all.Metrics.Count; k++)
        {
            Assert.Equal(all.Metrics[k].AvgModelAcc, sampled.Metrics[k].AvgModelAcc);
            Assert.Equal(all.Metrics[k].ConsensusDistance, sampled.Metrics[k].ConsensusDistance);
            Assert.Equal(all.Metrics[k].TrainLoss, sampled.Metrics[k].TrainLoss);
        }
        var tested = Enumerable.Range(0, Agents).Where(i => !double.IsNaN(sampled.FinalAgentAccuracies[i])).ToArray();
        int lastRound = sampled.Metrics[^1].Round;
        Assert.Equal(Enumerable.Range(0, Agents).Where(i => setup.Plan.EvaluationSample.Includes(i, lastRound)), tested);
        Assert.Equal(Sample, tested.Length);
        foreach (int i in tested) Assert.Equal(all.FinalAgentAccuracies[i], sampled.FinalAgentAccuracies[i]);
        var expected = tested.Select(i => all.FinalAgentAccuracies[i]).ToArray();
        Assert.Equal(expected.Average(), sampled.Metrics[^1].MeanAcc);
        Assert.Equal(expected.Min(), sampled.Metrics[^1].MinAcc);
        Assert.Equal(expected.Max(), sampled.Metrics[^1].MaxAcc);
    }
}
