using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>
/// A torch-free <see cref="IMhdLearner"/>: returns given logits, records every call (public ids, targets), and writes a
/// fixed gradient so the optimizer step can be checked by hand.
/// </summary>
internal sealed class RecordingMhdLearner(int heads, int classes, float[] parameters, float[] gradient, double loss = 1.5) : IMhdLearner
{
    private readonly float[] _g = new float[parameters.Length];

    public Span<float> Parameters => parameters;
    public Span<float> Gradients => _g;
    public int Heads => heads;
    public int Classes => classes;

    /// <summary>What <see cref="HeadLogits"/> returns (zeros of the right size when null).</summary>
    public float[]? OwnLogits { get; set; }

    public List<(int[] Ids, int Heads)> LogitCalls { get; } = [];
    public List<(int[] Ids, IReadOnlyList<HeadTarget> Targets, double Temperature)> GradientCalls { get; } = [];

    public float[] HeadLogits(int[] poolIds, int count)
    {
        LogitCalls.Add((poolIds, count));
        return OwnLogits ?? new float[count * poolIds.Length * classes];
    }

    public double ComputeGradient(int[] poolIds, IReadOnlyList<HeadTarget> targets, double temperature)
    {
        GradientCalls.Add((poolIds, targets, temperature));
        gradient.CopyTo(_g, 0);
        return loss;
    }

    public void Dispose() { }
}
