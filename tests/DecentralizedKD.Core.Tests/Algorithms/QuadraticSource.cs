using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>F_i(x) = ½‖x − c_i‖² with seeded "minibatch" noise: a heterogeneous objective with a known gradient.</summary>
internal sealed class QuadraticSource(float[] center, float[] start, ulong seed, double noise = 0.1) : IGradientSource
{
    private readonly float[] _x = (float[])start.Clone();
    private readonly float[] _g = new float[start.Length];
    private readonly Rng _rng = new(seed);

    public Span<float> Parameters => _x;
    public Span<float> Gradients => _g;

    /// <summary>The noise drawn for the last gradient (so a centralised reference can replay the same "batches").</summary>
    public float[] LastNoise { get; } = new float[start.Length];

    public double ComputeGradient()
    {
        double loss = 0;
        for (int k = 0; k < _x.Length; k++)
        {
            LastNoise[k] = (float)(noise * _rng.NextNormal());
            float d = _x[k] - center[k];
            _g[k] = d + LastNoise[k];
            loss += 0.5 * d * d;
        }
        return loss;
    }

    public void Dispose() { }
}
