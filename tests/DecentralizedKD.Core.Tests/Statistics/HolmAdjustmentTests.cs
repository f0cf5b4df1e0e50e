using DecentralizedKD.Core.Statistics;
using Xunit;

namespace DecentralizedKD.Core.Tests.Statistics;

/// <summary>Holm's step-down adjustment against values computed by hand.</summary>
public sealed class HolmAdjustmentTests
{
    [Fact]
    public void Each_p_is_multiplied_by_the_tests_left_and_raised_to_the_largest_before_it()
    {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (step-down is monotone).
        var adjusted = HolmAdjustment.Adjust([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Tied_p_values_get_the_same_adjusted_value()
    {
        // Sorted 0.01, 0.02, 0.02, 0.5: 0.04, 0.06, max(0.06, 0.04) = 0.06, max(0.06, 0.5) = 0.5.
        var adjusted = HolmAdjustment.Adjust([0.02, 0.5, 0.01, 0.02]);
        Assert.Equal([0.06, 0.5, 0.04, 0.06], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Adjusted_values_are_capped_at_one()
    {
        var adjusted = HolmAdjustment.Adjust([0.4, 0.9, 0.3]);
        // 0.3·3 = 0.9, 0.4·2 = 0.8 → 0.9, 0.9·1 = 0.9.
        Assert.Equal([0.9, 0.9, 0.9], adjusted.Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], HolmAdjustment.Adjust([0.6, 0.7]));   // 1.2 and 0.7 raised to the cap
    }

    [Fact]
    public void A_nan_p_value_stays_nan_and_is_not_counted_in_the_family()
    {
        // Without the NaN the family has two tests: 0.01·2 = 0.02, 0.04·1 = 0.04 (with it counted it would be 0.03, 0.08).
        var adjusted = HolmAdjustment.Adjust([0.04, double.NaN, 0.01]);
        Assert.Equal(0.04, adjusted[0], 12);
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(0.02, adjusted[2], 12);
        Assert.Equal(2, HolmAdjustment.FamilySize([0.04, double.NaN, 0.01]));
        Assert.True(HolmAdjustment.Adjust([double.NaN, double.NaN]).All(double.IsNaN));
        Assert.Empty(HolmAdjustment.Adjust([]));
    }

    [Fact]
    public void A_single_test_is_left_as_it_is()
    {
        Assert.Equal([0.037], HolmAdjustment.Adjust([0.037]));
    }

    [Fact]
    public void Adjusted_values_are_non_decreasing_in_the_order_of_the_raw_ones_never_below_them_and_at_most_one()
    {
        var random = new Random(36);
        for (int trial = 0; trial < 200; trial++)
        {
            var raw = Enumerable.Range(0, random.Next(1, 30))
                .Select(_ => random.Next(10) == 0 ? double.NaN : Math.Round(random.NextDouble(), random.Next(1, 4)))   // rounding makes ties
                .ToArray();
            var adjusted = HolmAdjustment.Adjust(raw);
            var order = Enumerable.Range(0, raw.Length).Where(i => !double.IsNaN(raw[i])).OrderBy(i => raw[i]).ToArray();
            for (int k = 1; k < order.Length; k++) Assert.True(adjusted[order[k]] >= adjusted[order[k - 1]]);
            Assert.All(order, i => Assert.InRange(adjusted[i], raw[i], 1.0));
            Assert.All(Enumerable.Range(0, raw.Length), i => Assert.Equal(double.IsNaN(raw[i]), double.IsNaN(adjusted[i])));
            for (int k = 1; k < order.Length; k++)
                if (raw[order[k]] == raw[order[k - 1]]) Assert.Equal(adjusted[order[k - 1]], adjusted[order[k]]);
        }
    }

    [Fact]
    public void A_value_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmAdjustment.Adjust([0.1, 1.5]));
    }
}
