using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Randomness;
using TorchSharp;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class AgentDataViewTests(FashionMnistFixture fmnist) : IClassFixture<FashionMnistFixture>
{
    [Fact]
    public void A_view_holds_the_agents_indices_and_serves_their_batches()
    {
        var train = fmnist.Data.Train;
        var p = Partitioner.Split(train.Labels, 10, new PartitionSpec("dirichlet", 16, 0.1, 10), 5);
        var view = AgentDataView.ForAgent(train, p, 3, 32, 42);
        Assert.Same(train, view.Dataset);
        Assert.Equal(p.AgentIndices[3].Length, view.Count);
        Assert.True(view.Indices == p.AgentIndices[3].AsSpan(), "the view shares the partition's array, no copy");
        Assert.Equal(p.LabelHistograms[3], view.LabelHistogram());
        Assert.Equal(view.Count / 32, view.BatchesPerEpoch);

        // Same stream as a sampler seeded the way the training runtime seeds it.
        var sampler = new BatchSampler(p.AgentIndices[3], 32, Rng.DeriveSeed(42, 3, "batches"));
        var expected = new int[32];
        var local = p.AgentIndices[3].ToHashSet();
        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        for (int step = 0; step < 5; step++)
        {
            sampler.Next(expected);
            using var scope = torch.NewDisposeScope();
            var (x, y) = view.NextBatch();
            Assert.Equal(new long[] { 32, 1, 28, 28 }, x.shape);
            Assert.Equal(expected.Select(i => (long)train.Labels[i]), y.data<long>().ToArray());
            Assert.Equal(train.Sample(expected[31]).ToArray(), x[31].data<float>().ToArray());
            Assert.All(expected, i => Assert.Contains(i, local));
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        Assert.Equal(1, view.Epoch);

        var other = AgentDataView.ForAgent(train, p, 4, 32, 42);
        var b = new int[32];
        other.Next(b);
        Assert.All(b, i => Assert.Contains(i, p.AgentIndices[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentDataView(train, [0, 60000], 2, 1));
    }
}
