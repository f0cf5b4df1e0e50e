using DecentralizedKD.Core.Statistics;
using Xunit;

namespace DecentralizedKD.Core.Tests.Statistics;

/// <summary>The confidence intervals and the paired t-test of sweep reports, against values computed by hand.</summary>
public sealed class SweepStatisticsTests
{
    [Fact]
    public void Mean_sample_sd_and_t_interval_match_the_textbook_values()
    {
        var s = SampleSummary.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(4, s.N);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s.StdDev, 12);           // Σ(x − x̄)² = 5, n − 1 = 3
        Assert.Equal(3.182446305284263, SampleSummary.TwoSided95(3), 9);   // t(0.975; 3) from tables
        Assert.Equal(3.182446305284263 * Math.Sqrt(5.0 / 3.0) / 2, s.CiHalfWidth, 9);
        Assert.Equal(12.706204736174698, SampleSummary.TwoSided95(1), 6);
    }

    [Fact]
    public void One_value_has_no_spread_and_none_has_no_mean()
    {
        var one = SampleSummary.Of([0.8]);
        Assert.Equal(0.8, one.Mean);
        Assert.True(double.IsNaN(one.StdDev) && double.IsNaN(one.CiHalfWidth), "n = 1 must be n/a, never 0");
        Assert.True(double.IsNaN(SampleSummary.Of([]).Mean));
    }

    [Fact]
    public void Paired_difference_interval_and_p_value_match_the_closed_form()
    {
        // d = (0.02, 0.03, 0.05): mean 1/30, s² = 7/30000, t = 10/√7 on 2 degrees of freedom.
        var p = PairedComparison.Of([0.80, 0.82, 0.85], [0.78, 0.79, 0.80]);
        Assert.Equal(3, p.Pairs);
        Assert.Equal(1.0 / 30, p.MeanDifference, 12);
        Assert.Equal(4.302652729749464 * Math.Sqrt(7.0 / 90000), p.CiHalfWidth, 9);
        // With 2 degrees of freedom the t CDF is 1/2 + t / (2√(2 + t²)), so p = 1 − 10/√114.
        Assert.Equal(1 - 10 / Math.Sqrt(114), p.PValue, 9);
    }

    [Fact]
    public void Paired_test_needs_two_pairs_and_some_spread()
    {
        Assert.True(double.IsNaN(PairedComparison.Of([0.9], [0.8]).PValue));
        var constant = PairedComparison.Of([1.5, 2.5], [1.0, 2.0]);
        Assert.Equal(0.5, constant.MeanDifference);
        Assert.True(double.IsNaN(constant.PValue) && double.IsNaN(constant.CiHalfWidth));
        Assert.Throws<ArgumentException>(() => PairedComparison.Of([1, 2], [1]));
    }
}
