namespace DecentralizedKD.Core;

/// <summary>Bounds the engine enforces wherever a count of agents is read (config keys, edge-list files, CLI options).</summary>
public static class ExperimentLimits
{
    /// <summary>
    /// The most agents one experiment may have (and so the most nodes of any graph, degree and peer count): 10× the
    /// largest run measured (10,000 agents), and small enough that n-sized index arithmetic never overflows.
    /// </summary>
    public const int MaxAgents = 100_000;
}
