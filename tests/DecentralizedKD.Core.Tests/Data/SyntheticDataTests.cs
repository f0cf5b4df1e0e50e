using DecentralizedKD.Core.Data;
using Xunit;

namespace DecentralizedKD.Core.Tests.Data;

public sealed class SyntheticDataTests
{
    [Fact]
    public void Synthetic_data_is_seeded_and_balanced()
    {
        var a = SyntheticData.Generate(500, 200, 5, [8], 3.0, 7);
        var b = SyntheticData.Generate(500, 200, 5, [8], 3.0, 7);
        var c = SyntheticData.Generate(500, 200, 5, [8], 3.0, 8);
        Assert.Equal(a.Train.Features, b.Train.Features);
        Assert.Equal(a.Train.Labels, b.Train.Labels);
        Assert.Equal(a.Test.Features, b.Test.Features);
        Assert.NotEqual(a.Train.Features, c.Train.Features);
        Assert.NotEqual(a.Train.Features.Take(8), a.Test.Features.Take(8)); // train and test are different draws
        Assert.All(a.Train.LabelHistogram(Enumerable.Range(0, 500)), n => Assert.Equal(100, n));
        Assert.All(a.Test.LabelHistogram(Enumerable.Range(0, 200)), n => Assert.Equal(40, n));
        Assert.Equal(new[] { 8 }, a.Train.SampleShape);
        var images = SyntheticData.Generate(20, 10, 10, [3, 8, 8], 2.0, 1);
        Assert.Equal(3 * 8 * 8, images.Train.SampleSize);
    }

    [Fact]
    public void Separability_raises_nearest_class_mean_accuracy()
    {
        static double Accuracy(double s)
        {
            var d = SyntheticData.Generate(2000, 1000, 5, [16], s, 11);
            var means = new double[5, 16];
            var counts = d.Train.LabelHistogram(Enumerable.Range(0, d.Train.Count));
            for (int i = 0; i < d.Train.Count; i++)
                for (int k = 0; k < 16; k++) means[d.Train.Labels[i], k] += d.Train.Sample(i)[k] / (double)counts[d.Train.Labels[i]];
            int correct = 0;
            for (int i = 0; i < d.Test.Count; i++)
            {
                var x = d.Test.Sample(i).ToArray();
                int best = Enumerable.Range(0, 5).MinBy(c => Enumerable.Range(0, 16).Sum(k => (x[k] - means[c, k]) * (x[k] - means[c, k])));
                if (best == d.Test.Labels[i]) correct++;
            }
            return correct / (double)d.Test.Count;
        }
        double hard = Accuracy(0.5), medium = Accuracy(2.0), easy = Accuracy(4.0);
        Assert.True(hard < medium && medium < easy, $"nearest-mean accuracy {hard} < {medium} < {easy} expected");
        Assert.InRange(hard, 0.2, 0.5);   // chance is 0.2
        Assert.True(easy > 0.9, $"easy accuracy {easy}");
    }
}
