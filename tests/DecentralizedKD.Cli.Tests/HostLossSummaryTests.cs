using DecentralizedKD.Actors;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core.Runtime;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

public sealed class HostLossSummaryTests
{
    [Fact]
    public void No_loss_adds_nothing_and_each_loss_is_a_row_with_the_agents_left()
    {
        Assert.Equal("", HostLossSummary.Render([], 16));
        var text = HostLossSummary.Render([
            new HostLoss(42, [8, 9, 10, 11], "worker host akka.tcp://dkd@10.0.0.7:37001 (worker 2, agents 8-11) left the cluster"),
            new HostLoss(90, [12, 13, 14, 15], "worker host akka.tcp://dkd@10.0.0.8:37001 (worker 3, agents 12-15) became unreachable")], 16);
        Assert.Contains("## Lost hosts (cluster.on-host-loss = continue)", text);
        Assert.Contains("| 42 | 8-11 | 12 | worker host akka.tcp://dkd@10.0.0.7:37001 (worker 2, agents 8-11) left the cluster |", text);
        Assert.Contains("| 90 | 12-15 | 8 | ", text);
    }
}
