using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Plugins;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>Which published form of Quasi-Global Momentum to run (<c>algorithm.qgm.variant</c>).</summary>
public enum QgmVariant
{
    /// <summary>epfml code: temporary m = βm̂ + g for the step; after gossip m̂ ← μm̂ + (1−μ)(x_prev − x_new)/η.</summary>
    Ema,
    /// <summary>CCL code: one buffer; after gossip m ← m − (x_mixed − x)/η; the step then uses m ← βm + g.</summary>
    Ccl,
}

public static class QgmVariants
{
    public static readonly KeywordTable<QgmVariant> Table = new(("ema", QgmVariant.Ema), ("ccl", QgmVariant.Ccl));

    public static string Name(this QgmVariant variant) => Table.NameOf(variant);
}

/// <summary>
/// QG-DSGDm(-N): momentum built from the model's displacement over a whole iteration, gossip included, which
/// approximates the global update direction under heterogeneous data.
/// </summary>
public sealed class Qgm : GossipAlgorithm, ICheckpointable, IIterationState
{
    private readonly QgmVariant _variant;
    private readonly float _mu;
    private readonly float[] _buffer;
    private readonly float[] _start;
    private float _lastEta;

    public Qgm(IGradientSource source, AgentLinks links, SgdSettings sgd, LearningRateSchedule lr, int localSteps = 1,
        QgmVariant variant = QgmVariant.Ema, double mu = double.NaN)
        : base(source, links, sgd, lr, localSteps)
    {
        _variant = variant;
        _mu = (float)(double.IsNaN(mu) ? sgd.Momentum : mu);
        _buffer = new float[source.Parameters.Length];
        _start = new float[source.Parameters.Length];
    }

    public ReadOnlySpan<float> Buffer => _buffer;

    protected override long? MethodStateBytes => 4L * (_buffer.Length + _start.Length);

    public override void LocalWork(int round)
    {
        float eta = (float)Lr.At(round);
        float beta = (float)Sgd.Momentum;
        Source.Parameters.CopyTo(_start);
        double loss = 0;
        for (int s = 0; s < LocalSteps; s++)
        {
            loss += GradientWithWeightDecay();
            var g = Source.Gradients;
            if (_variant == QgmVariant.Ema)
            {
                // m = βm̂ + g is temporary; with Nesterov d = g + βm = (1+β)g + β²m̂.
                if (Sgd.Nesterov)
                {
                    FlatMath.Scale(1 + beta, g, g);
                    FlatMath.Axpy(beta * beta, _buffer, g);
                }
                else FlatMath.Axpy(beta, _buffer, g);
            }
            else
            {
                FlatMath.ScaleAdd(beta, _buffer, g);          // m = βm + g
                if (Sgd.Nesterov) FlatMath.Axpy(beta, _buffer, g);
                else _buffer.CopyTo(g);
            }
            FlatMath.Axpy(-eta, g, Source.Parameters);
        }
        _lastEta = eta;
        LastLoss = loss / LocalSteps;
    }

    protected override void CombinePhase(int round, int phase)
    {
        var x = Source.Parameters;
        if (_variant == QgmVariant.Ema)
        {
            Mix(round);
            // δ = (x_start − x_new)/(η·τ): the average displacement per local step, gossip included.
            float inv = 1f / (_lastEta * LocalSteps);
            for (int i = 0; i < x.Length; i++)
                _buffer[i] = _mu * _buffer[i] + (1 - _mu) * ((_start[i] - x[i]) * inv);
        }
        else
        {
            x.CopyTo(_start);   // x before mixing
            Mix(round);
            float inv = 1f / _lastEta;
            for (int i = 0; i < x.Length; i++)
                _buffer[i] -= (x[i] - _start[i]) * inv;
        }
    }

    /// <summary>
    /// Learner and momentum buffer (m̂ or m). <c>_start</c> and <c>_lastEta</c> are not saved: each is set in LocalWork
    /// and used only by the Combine of the same iteration.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("qgm");
        w.Write((int)_variant);
        SaveSourceState(w);
        w.WriteFloats(_buffer);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("qgm");
        int variant = r.ReadInt32();
        if (variant != (int)_variant) throw new InvalidDataException($"saved QGM variant {(QgmVariant)variant}, this run has {_variant}");
        LoadSourceState(r);
        r.ReadFloats(_buffer, "QGM buffer");
    }

    /// <summary>Asynchronous checkpoints: <c>_start</c> and <c>_lastEta</c> are set by LocalWork and used by a later Combine.</summary>
    public void SaveIterationState(BinaryWriter w)
    {
        SaveGossipIterationState(w);
        w.WriteFloats(_start);
        w.Write(_lastEta);
    }

    public void LoadIterationState(BinaryReader r)
    {
        LoadGossipIterationState(r);
        r.ReadFloats(_start, "QGM start point");
        _lastEta = r.ReadSingle();
    }
}
