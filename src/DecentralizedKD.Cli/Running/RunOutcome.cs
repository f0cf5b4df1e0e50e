using DecentralizedKD.Actors;
using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Cli.Running;

public sealed record RunOutcome(string Directory, ExperimentConfig Config, RunResult Result, double WallSeconds, int ParameterCount);
