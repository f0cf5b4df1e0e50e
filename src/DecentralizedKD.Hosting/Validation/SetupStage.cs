using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 5: data, partition, topology, mixing and model are built (<see cref="RunPlan.Build"/>), which checks
/// everything that needs them (agents vs samples, topology files, a feasible partition), then the method's own
/// plan checks.
/// </summary>
public sealed class SetupStage : IValidationStage
{
    public string Name => "setup";

    public void Run(ValidationContext context) => context.Process = HostProcess.Build(context.Config!);
}
