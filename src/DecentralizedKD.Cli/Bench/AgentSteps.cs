namespace DecentralizedKD.Cli.Bench;

/// <summary>
/// Throughput in agent-steps per second: local SGD steps of all learners per wall second of training. Unlike ms per
/// round it compares workloads with different numbers of agents and local steps (e.g. with simulators that report
/// steps per second).
/// </summary>
public static class AgentSteps
{
    /// <summary>agents × rounds × local steps ÷ seconds; NaN when no time was measured.</summary>
    public static double PerSecond(int agents, int rounds, int localSteps, double seconds) =>
        seconds > 0 ? (double)agents * rounds * localSteps / seconds : double.NaN;

    /// <summary>The same from a per-round time: one round is agents × local steps agent-steps.</summary>
    public static double FromMsPerRound(int agents, int localSteps, double msPerRound) =>
        PerSecond(agents, 1, localSteps, msPerRound / 1000.0);
}
