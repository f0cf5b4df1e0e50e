using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core.Simulation;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

public sealed class AsyncSummaryTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(3, "3")]
    [InlineData(-1, "1 ahead (neighbour's payload newer than the agent's iteration)")]
    [InlineData(-4, "4 ahead (neighbour's payload newer than the agent's iteration)")]
    [InlineData(AsyncStats.NeverReceived, "never received")]
    public void Staleness_rows_tell_behind_ahead_and_never_received_apart(int staleness, string label) =>
        Assert.Equal(label, AsyncSummary.StalenessLabel(staleness));
}
