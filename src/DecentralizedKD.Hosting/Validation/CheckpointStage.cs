using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 7 (runs that checkpoint): the method supports checkpoints in this mode, and agent 0 really saves its state
/// (see <see cref="CheckpointSupport.Verify(Core.Training.HostProcess)"/>), so a learner that cannot save fails
/// now, not at the first checkpoint.
/// </summary>
public sealed class CheckpointStage : IValidationStage
{
    public string Name => "checkpoints";

    public void Run(ValidationContext context) => CheckpointSupport.Verify(context.Process!);
}
