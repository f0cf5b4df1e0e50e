using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Tests.Algorithms;
using Xunit;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Tests.Checkpoint;

/// <summary>Only algorithms whose own class saves and loads its state may be checkpointed; everything else is refused.</summary>
public sealed class CheckpointSupportTests
{
    private static readonly MixingRow TwoAgentRow = new(0, 0.5, [1], [0.5]);
    private static readonly SgdSettings Momentum09 = new(0.9, false, 0);
    private static readonly LearningRateSchedule ConstantLr = new(0.1);

    private static QuadraticSource Source() => new([1, 2], [0, 0], 1);

    /// <summary>A D-PSGD variant with state of its own that forgot to extend the checkpoint methods.</summary>
    private sealed class DpsgdWithExtraState(IGradientSource s) : Dpsgd(s, TwoAgentRow, Momentum09, ConstantLr)
    {
        public int Extra { get; set; }
    }

    /// <summary>A gossip method that never opted in.</summary>
    private sealed class PlainGossip(IGradientSource s) : GossipAlgorithm(s, TwoAgentRow, Momentum09, ConstantLr, 1)
    {
        public override void LocalWork(int round) { }
        protected override void CombinePhase(int round, int phase) => Mix(round);
    }

    [Fact]
    public void The_algorithms_on_main_declare_their_own_state()
    {
        Assert.Same(typeof(Dpsgd), CheckpointSupport.StateOf(new Dpsgd(Source(), TwoAgentRow, Momentum09, ConstantLr)).GetType());
        Assert.Same(typeof(LocalOnly), CheckpointSupport.StateOf(new LocalOnly(Source(), TwoAgentRow, Momentum09, ConstantLr)).GetType());
        Assert.Same(typeof(Qgm), CheckpointSupport.StateOf(new Qgm(Source(), TwoAgentRow, Momentum09, ConstantLr)).GetType());
    }

    [Fact]
    public void An_inherited_implementation_or_none_is_refused()
    {
        var inherited = Assert.Throws<NotSupportedException>(() => CheckpointSupport.StateOf(new DpsgdWithExtraState(Source())));
        Assert.Equal("DpsgdWithExtraState does not implement ICheckpointable itself", inherited.Message);
        var none = Assert.Throws<NotSupportedException>(() => CheckpointSupport.StateOf(new PlainGossip(Source())));
        Assert.Equal("PlainGossip does not implement ICheckpointable itself", none.Message);
    }

    [Fact]
    public void A_learner_without_state_support_fails_when_saving()
    {
        var dpsgd = new Dpsgd(Source(), TwoAgentRow, Momentum09, ConstantLr);
        using var sink = new BinaryWriter(Stream.Null);
        var e = Assert.Throws<NotSupportedException>(() => CheckpointSupport.StateOf(dpsgd).SaveState(sink));
        Assert.Equal("its learner QuadraticSource does not implement ICheckpointable", e.Message);
    }
}
