using DecentralizedKD.Core.Models;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// One model of an experiment and the agents that have it (all of them unless <c>experiment.model.per-agent</c> gives
/// agents different models). Agents of one kind start from the same weights, drawn with <paramref name="InitSeed"/>.
/// <paramref name="TensorLengths"/> are the lengths of its parameter tensors in the flat buffer's order (they add up to
/// <paramref name="ParameterCount"/>): what a per-tensor compressor splits a message into.
/// </summary>
public sealed record ModelKind(ModelSpec Spec, int[] Agents, int ParameterCount, int FeatureDim, long InitSeed, int[] TensorLengths)
{
    public string Label => Spec.Label;

    /// <summary>
    /// Bytes one agent of this kind holds for training: float32 parameters, gradients and the momentum buffer (every
    /// method's optimizer keeps one of each), without activations or received payloads.
    /// </summary>
    public long TrainingStateBytes => 3L * sizeof(float) * ParameterCount;
}
