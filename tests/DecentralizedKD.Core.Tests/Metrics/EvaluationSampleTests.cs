using DecentralizedKD.Core.Metrics;
using Xunit;

namespace DecentralizedKD.Core.Tests.Metrics;

public sealed class EvaluationSampleTests
{
    private static int[] Members(EvaluationSample s, int agents, int round) =>
        Enumerable.Range(0, agents).Where(i => s.Includes(i, round)).ToArray();

    [Fact]
    public void Each_evaluation_tests_exactly_k_learners_drawn_from_the_seed_and_round()
    {
        var sample = new EvaluationSample(seed: 7, learners: 50, size: 5);
        var again = new EvaluationSample(seed: 7, learners: 50, size: 5);   // another process draws the same
        Assert.False(sample.All);
        Assert.Equal(5, sample.Size);
        var rounds = new[] { 10, 20, 30 }.Select(r => Members(sample, 50, r)).ToArray();
        foreach (var (members, r) in rounds.Zip(new[] { 10, 20, 30 }))
        {
            Assert.Equal(5, members.Length);
            Assert.Equal(members, Members(again, 50, r));
        }
        Assert.False(rounds[0].SequenceEqual(rounds[1]) && rounds[1].SequenceEqual(rounds[2]), "the sample is drawn anew per evaluation");
        Assert.NotEqual(rounds[0], Members(new EvaluationSample(seed: 8, learners: 50, size: 5), 50, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(80)]
    public void Zero_or_at_least_the_learner_count_tests_everyone(int size)
    {
        var sample = new EvaluationSample(seed: 1, learners: 50, size: size);
        Assert.True(sample.All);
        Assert.Equal(50, Members(sample, 50, 10).Length);
    }

    [Fact]
    public void A_server_beyond_the_learners_is_always_evaluated()
    {
        var sample = new EvaluationSample(seed: 1, learners: 10, size: 2);
        Assert.True(sample.Includes(10, 3));
        Assert.Equal(2, Members(sample, 10, 3).Length);
    }

    [Fact]
    public void Accuracy_statistics_skip_unsampled_agents_but_the_average_and_consensus_use_everyone()
    {
        float[][] parameters = [[0f, 0f], [2f, 0f], [4f, 6f]];
        var full = EvaluationAggregate.Compute([0.5, 0.7, 0.9], parameters);
        var sampled = EvaluationAggregate.Compute([double.NaN, 0.7, 0.9], parameters);
        Assert.Equal(0.8, sampled.Mean, 12);
        Assert.Equal(0.7, sampled.Min);
        Assert.Equal(0.9, sampled.Max);
        Assert.Equal(full.Average, sampled.Average);
        Assert.Equal(full.Consensus, sampled.Consensus);
        Assert.Equal([2f, 2f], sampled.Average!);
        Assert.True(double.IsNaN(EvaluationAggregate.Compute([double.NaN], [[1f]]).Mean));
    }
}
