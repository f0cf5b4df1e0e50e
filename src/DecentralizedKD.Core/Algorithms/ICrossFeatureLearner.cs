namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// What CCL needs from the learner besides parameters and gradients: one batch per iteration, the features of that
/// batch under any parameter vector (a scratch model, detached), and a gradient of the CCL loss given the targets.
/// The torch implementation is <see cref="Training.CrossFeatureLearner"/>.
/// </summary>
public interface ICrossFeatureLearner : IGradientSource
{
    int NumClasses { get; }
    int FeatureDim { get; }

    /// <summary>Draws this iteration's batch B_i; every call below refers to it until the next draw.</summary>
    void NextBatch();

    /// <summary>
    /// Features f(B_i; θ) under <paramref name="parameters"/> (not the agent's own model), detached, [B·D] row-major,
    /// with their class sums [C·D] and counts [C] by the batch labels.
    /// </summary>
    CrossFeatures FeaturesUnder(ReadOnlySpan<float> parameters);

    /// <summary>
    /// Targets for the next <see cref="IGradientSource.ComputeGradient"/>: the model-variant cross-features (one [B·D]
    /// array per neighbour) and the neighbourhood class sums and counts excluding the own batch under the own model
    /// (the learner adds those itself, from the forward pass with gradients).
    /// </summary>
    void SetTargets(IReadOnlyList<float[]> crossFeatures, float[] neighbourSums, float[] neighbourCounts);
}

/// <summary>Features of a batch under some parameters, and their class-wise sums and counts.</summary>
public sealed record CrossFeatures(float[] Features, float[] ClassSums, float[] ClassCounts);
