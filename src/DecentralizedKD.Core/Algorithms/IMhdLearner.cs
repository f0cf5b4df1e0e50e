namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// What MHD needs from its multi-head model (the torch implementation is <see cref="Training.MhdLearner"/>; tests use
/// recording fakes): the flat parameter/gradient buffers, head logits on public samples, and the gradient of
/// "cross-entropy of the main head on the next private batch + Σ ν_k·KL(target_k ‖ softmax(h^k/T))·T²".
/// </summary>
public interface IMhdLearner : IDisposable
{
    Span<float> Parameters { get; }
    Span<float> Gradients { get; }

    /// <summary>Number of heads including the main head (K + 1).</summary>
    int Heads { get; }

    int Classes { get; }

    /// <summary>Logits of heads 0..<paramref name="heads"/>−1 on the given public pool samples, [head][sample][class], no gradient.</summary>
    float[] HeadLogits(int[] poolIds, int heads);

    /// <summary>
    /// Draws the next private batch, overwrites <see cref="Gradients"/> with the gradient of the total loss at the current
    /// parameters and returns that loss. With no targets the loss is the supervised cross-entropy alone.
    /// </summary>
    double ComputeGradient(int[] poolIds, IReadOnlyList<HeadTarget> targets, double temperature);
}

/// <summary>Distillation target of auxiliary head <paramref name="Head"/> (1..K): probabilities [samples × classes], weight ν_k.</summary>
public sealed record HeadTarget(int Head, float[] Probabilities, double Weight);
