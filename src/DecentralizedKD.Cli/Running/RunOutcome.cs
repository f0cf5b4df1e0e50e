using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Cli.Running;

/// <param name="ParameterCount">parameters per agent (of the largest model when agents' models differ)</param>
public sealed record RunOutcome(string Directory, ExperimentConfig Config, RunResult Result, double WallSeconds, int ParameterCount)
{
    /// <summary>Resident memory around agent creation and at the last evaluation (null where not measured).</summary>
    public MemoryProbe? Memory { get; init; }
}
