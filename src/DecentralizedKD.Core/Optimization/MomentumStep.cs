using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Optimization;

/// <summary>
/// Local momentum SGD step on flat buffers: m ← βm + g; d = g + βm (Nesterov) or d = m; x ← x − ηd.
/// The gradient buffer is used as scratch for d.
/// </summary>
public sealed class MomentumStep(int length) : ICheckpointable
{
    private readonly float[] _m = new float[length];

    public ReadOnlySpan<float> Buffer => _m;

    /// <summary>Bytes of the momentum buffer.</summary>
    public long Bytes => 4L * _m.Length;

    public void Apply(Span<float> x, Span<float> g, float eta, float beta, bool nesterov)
    {
        FlatMath.ScaleAdd(beta, _m, g);          // m = βm + g
        if (nesterov) FlatMath.Axpy(beta, _m, g); // d = g + βm (in g)
        else _m.CopyTo(g);                        // d = m
        FlatMath.Axpy(-eta, g, x);
    }

    public void Load(ReadOnlySpan<float> state) => state.CopyTo(_m);

    public void SaveState(BinaryWriter w) => w.WriteFloats(_m);

    public void LoadState(BinaryReader r) => r.ReadFloats(_m, "momentum buffer");

    /// <summary>m ← m + a·v (CCL's QGM correction folds the gossip displacement into the buffer).</summary>
    public void AddScaled(float a, ReadOnlySpan<float> v) => FlatMath.Axpy(a, v, _m);
}
