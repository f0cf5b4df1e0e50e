using DecentralizedKD.Actors.Hosts;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>The host's report relay asks for a full collection once per budget of relayed bytes, not per report.</summary>
public sealed class LargeObjectGarbageBudgetTests
{
    [Fact]
    public void A_full_collection_runs_once_the_budget_of_relayed_bytes_is_spent_and_the_count_starts_again()
    {
        var budget = new LargeObjectGarbageBudget(1000);
        budget.Add(600);
        Assert.Equal(0, budget.Collections);
        int gen2Before = GC.CollectionCount(2);
        budget.Add(400); // exactly the budget
        Assert.Equal(1, budget.Collections);
        Assert.True(GC.CollectionCount(2) > gen2Before, "no generation-2 collection ran");
        budget.Add(999); // the count restarted at 0 after the collection
        Assert.Equal(1, budget.Collections);
        budget.Add(1);
        Assert.Equal(2, budget.Collections);
    }

    [Fact]
    public void A_budget_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LargeObjectGarbageBudget(0));
}
