using DecentralizedKD.Cli.Running;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary><c>dkd scale</c> arguments refused before any agent is built, and the round timer's span.</summary>
[Collection("engine")]
public sealed class ScaleArgumentTests
{
    [Fact]
    public void An_unknown_mode_is_one_line_and_exit_code_2()
    {
        var (code, _, err) = DkdRunner.Dkd("scale", "--mode", "bogus");
        Assert.Equal(2, code);
        Assert.Equal("error: dkd scale: --mode expects sync or async, got 'bogus'", err.Trim());
    }

    [Theory]
    [InlineData("--mode", "async", "--rounds", "2")]
    [InlineData("--rounds", "2", "--set", "mode=async")]         // the resolved config decides, not the option
    [InlineData("--mode", "async", "--rounds", "5", "--set", "rounds=2")]
    public void Async_mode_with_fewer_than_three_rounds_is_one_line_and_exit_code_2(params string[] args)
    {
        // Iteration 1 warms up and the last one carries the final evaluation: two iterations leave nothing to time.
        var (code, _, err) = DkdRunner.Dkd(["scale", .. args]);
        Assert.Equal(2, code);
        Assert.Equal("error: dkd scale: async mode needs at least 3 rounds (iteration 1 warms up, the last one carries the final evaluation), got 2", err.Trim());
    }

    [Fact]
    public void The_timer_covers_the_rounds_after_the_warm_up_up_to_the_last_timed_one()
    {
        var timer = new RoundTimer(warmup: 1, lastRound: 3);
        for (int round = 1; round <= 4; round++) timer.OnRoundCompleted(round);
        Assert.Equal(2, timer.TimedRounds); // rounds 2 and 3; round 4 (the final evaluation's) is not counted
        var unfinished = new RoundTimer(warmup: 1, lastRound: 5);
        for (int round = 1; round <= 3; round++) unfinished.OnRoundCompleted(round);
        Assert.Equal(2, unfinished.TimedRounds);
    }
}
