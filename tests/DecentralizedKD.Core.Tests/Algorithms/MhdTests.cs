using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Optimization;
using Xunit;
using DecentralizedKD.Core.Topology;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>MHD's state machine with a recording learner: targets per head, tie-break, public ids, bytes, async rules, the SGD step.</summary>
public sealed class MhdTests
{
    private const double T = 2.0;
    private const int Pool = 50;
    // Agent 0 on a ring segment with neighbours 1 and 3 (ascending, as MixingRow guarantees).
    private static readonly MixingRow Row = new(0, 1.0 / 3, [1, 3], [1.0 / 3, 1.0 / 3]);

    private static Mhd Create(RecordingMhdLearner learner, MhdTargetRule target = MhdTargetRule.MostConfident, double[]? weights = null,
        MixingRow? row = null, ulong seed = 42, int batch = 2, SgdSettings? sgd = null, double lr = 0.1) =>
        new(learner, row ?? Row, new MhdConfig(batch, T, weights ?? [1.0], target), sgd ?? new SgdSettings(0.9, false, 0),
            new LearningRateSchedule(lr), seed, Pool);

    private static RecordingMhdLearner Learner(int heads = 3) => new(heads, 2, [0f, 0f], [0f, 0f]);

    /// <summary>Logits z = T·ln p, so that softmax(z/T) = p exactly up to float rounding. probs[head][sample] = p(class 0).</summary>
    private static LogitsPayload Softened(int round, int sender, double[][] probs)
    {
        int heads = probs.Length, samples = probs[0].Length;
        var z = new float[heads * samples * 2];
        for (int h = 0; h < heads; h++)
            for (int s = 0; s < samples; s++)
            {
                z[(h * samples + s) * 2] = (float)(T * Math.Log(probs[h][s]));
                z[(h * samples + s) * 2 + 1] = (float)(T * Math.Log(1 - probs[h][s]));
            }
        return new LogitsPayload(round, sender, heads, samples, 2, z);
    }

    // Peer 1: head 0 gives p(class 0) = .25 (sample 0) and .6 (sample 1); head 1 gives .8 and .5.
    private static LogitsPayload Peer1(int round = 0) => Softened(round, 1, [[0.25, 0.6], [0.8, 0.5]]);
    // Peer 3: head 0 gives .9 and .3; head 1 gives .5 and .1.
    private static LogitsPayload Peer3(int round = 0) => Softened(round, 3, [[0.9, 0.3], [0.5, 0.1]]);

    private static void AssertProbabilities(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 1e-6);
    }

    private static IReadOnlyList<HeadTarget> OneRound(Mhd mhd, RecordingMhdLearner learner, int round, params LogitsPayload[] arrivals)
    {
        mhd.LocalWork(round);
        foreach (var p in arrivals) mhd.Receive(p);
        mhd.Combine(round, 0);
        return learner.GradientCalls[^1].Targets;
    }

    [Fact]
    public void Auxiliary_head_k_is_distilled_from_the_most_confident_neighbour_head_k_minus_1_per_sample()
    {
        var learner = Learner();
        var targets = OneRound(Create(learner), learner, 0, Peer3(), Peer1());
        Assert.Equal(new[] { 1, 2 }, targets.Select(t => t.Head));
        // Head 1 ← neighbours' head 0: sample 0 peer 3 (.9 > .75), sample 1 peer 3 (.7 > .6).
        AssertProbabilities([0.9, 0.1, 0.3, 0.7], targets[0].Probabilities);
        // Head 2 ← neighbours' head 1: sample 0 peer 1 (.8 > .5), sample 1 peer 3 (.9 > .5).
        AssertProbabilities([0.8, 0.2, 0.1, 0.9], targets[1].Probabilities);
        Assert.Equal(T, learner.GradientCalls[^1].Temperature);
    }

    [Fact]
    public void Auxiliary_head_k_is_distilled_from_the_mean_of_the_neighbours_softened_head_k_minus_1()
    {
        var learner = Learner();
        var targets = OneRound(Create(learner, MhdTargetRule.Mean), learner, 0, Peer1(), Peer3());
        AssertProbabilities([0.575, 0.425, 0.45, 0.55], targets[0].Probabilities);   // ((.25,.75)+(.9,.1))/2, ((.6,.4)+(.3,.7))/2
        AssertProbabilities([0.65, 0.35, 0.3, 0.7], targets[1].Probabilities);       // ((.8,.2)+(.5,.5))/2, ((.5,.5)+(.1,.9))/2
    }

    [Fact]
    public void Most_confident_tie_goes_to_the_lowest_sender_id_whatever_the_arrival_order()
    {
        var learner = Learner(heads: 2);
        var mhd = Create(learner, batch: 1);
        // Same confidence .75 for opposite classes: only the tie-break decides.
        var low = Softened(0, 1, [[0.75]]);
        var high = Softened(0, 3, [[0.25]]);
        AssertProbabilities([0.75, 0.25], OneRound(mhd, learner, 0, high, low)[0].Probabilities);
        AssertProbabilities([0.75, 0.25], OneRound(mhd, learner, 1, low with { Round = 1 }, high with { Round = 1 })[0].Probabilities);
    }

    [Fact]
    public void Sends_heads_0_to_K_minus_1_only_and_counts_4_P_K_C_bytes()
    {
        var learner = Learner(heads: 4);   // K = 3
        var mhd = Create(learner, batch: 5);
        learner.OwnLogits = Enumerable.Range(0, 3 * 5 * 2).Select(v => (float)v).ToArray();
        mhd.LocalWork(7);
        Assert.Equal(3, learner.LogitCalls[^1].Heads);
        var payload = Assert.IsType<LogitsPayload>(mhd.Outgoing(7, 0, 1));
        Assert.Same(payload, mhd.Outgoing(7, 0, 3));   // one immutable instance for every neighbour
        Assert.Equal("logits", payload.Kind);
        Assert.Equal((7, 0, 3, 5, 2), (payload.Round, payload.Sender, payload.Heads, payload.Samples, payload.Classes));
        Assert.Equal(4L * 5 * 3 * 2, payload.Bytes);
        Assert.Equal(learner.OwnLogits, payload.Logits);
        Assert.Equal(new[] { 10f, 11f }, payload.Head(1)[..2].ToArray());
    }

    [Fact]
    public void Every_agent_uses_the_same_public_ids_in_a_round_and_fresh_ids_in_the_next()
    {
        var a = Learner();
        var b = Learner();
        var agentA = Create(a, batch: 8);
        var agentB = Create(b, batch: 8, row: new MixingRow(5, 0.5, [4], [0.5]));
        agentA.LocalWork(3);
        agentB.LocalWork(3);
        Assert.Equal(a.LogitCalls[0].Ids, b.LogitCalls[0].Ids);
        Assert.Equal(8, a.LogitCalls[0].Ids.Distinct().Count());
        Assert.All(a.LogitCalls[0].Ids, id => Assert.InRange(id, 0, Pool - 1));
        agentA.LocalWork(4);
        Assert.NotEqual(a.LogitCalls[0].Ids, a.LogitCalls[1].Ids);
        Assert.Equal(PublicBatches.Ids(42, 3, Pool, 8), a.LogitCalls[0].Ids);
        Assert.NotEqual(PublicBatches.Ids(43, 3, Pool, 8), a.LogitCalls[0].Ids);
        // The student heads are trained on the same P_t the logits were computed on.
        agentA.Receive(Peer1(4) with { Samples = 8, Logits = new float[2 * 8 * 2] });
        agentA.Receive(Peer3(4) with { Samples = 8, Logits = new float[2 * 8 * 2] });
        agentA.Combine(4, 0);
        Assert.Equal(a.LogitCalls[1].Ids, a.GradientCalls[^1].Ids);
    }

    [Fact]
    public void Head_weights_repeat_their_last_value_and_a_zero_weight_drops_the_head()
    {
        var learner = Learner(heads: 4);
        var payloads = new[] { Softened(0, 1, [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]), Softened(0, 3, [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]) };
        Assert.Equal(new[] { 0.3, 0.7, 0.7 }, OneRound(Create(learner, weights: [0.3, 0.7]), learner, 0, payloads).Select(t => t.Weight));
        Assert.Equal(new[] { 1, 3 }, OneRound(Create(learner, weights: [0.3, 0, 1]), learner, 0, payloads).Select(t => t.Head));
    }

    [Fact]
    public void Async_skips_missing_neighbours_and_without_any_trains_on_cross_entropy_alone()
    {
        var learner = Learner();
        var mhd = Create(learner, MhdTargetRule.Mean);
        mhd.UseSelfForMissingNeighbours();
        var targets = OneRound(mhd, learner, 0, Peer3());
        AssertProbabilities([0.9, 0.1, 0.3, 0.7], targets[0].Probabilities);   // the mean of peer 3 alone
        Assert.Empty(OneRound(mhd, learner, 1));
        Assert.Equal(2, learner.GradientCalls.Count);
    }

    [Fact]
    public void Sync_mode_treats_a_missing_neighbour_as_a_protocol_error()
    {
        var learner = Learner();
        var mhd = Create(learner);
        mhd.LocalWork(0);
        mhd.Receive(Peer1());
        Assert.Throws<InvalidOperationException>(() => mhd.Combine(0, 0));
    }

    [Fact]
    public void Async_uses_the_freshest_round_on_its_own_public_batch_and_keeps_later_payloads()
    {
        var learner = Learner();
        var mhd = Create(learner, MhdTargetRule.Mean);
        mhd.UseSelfForMissingNeighbours();
        // At round 5: peer 1 last sent round 4, peer 3 round 3 (and already round 6, which is not due yet).
        var targets = OneRound(mhd, learner, 5, Peer3(3), Peer1(4), Peer3(6));
        AssertProbabilities([0.25, 0.75, 0.6, 0.4], targets[0].Probabilities);   // peer 1 only
        Assert.Equal(PublicBatches.Ids(42, 4, Pool, 2), learner.GradientCalls[^1].Ids);
        // Round 6: peer 3's early payload is used now; the consumed round-4 payload of peer 1 is not reused.
        targets = OneRound(mhd, learner, 6);
        AssertProbabilities([0.9, 0.1, 0.3, 0.7], targets[0].Probabilities);
        Assert.Equal(PublicBatches.Ids(42, 6, Pool, 2), learner.GradientCalls[^1].Ids);
        Assert.Empty(OneRound(mhd, learner, 7));
    }

    [Fact]
    public void Combine_takes_a_momentum_sgd_step_with_weight_decay_folded_into_the_gradient()
    {
        var learner = new RecordingMhdLearner(2, 2, [1f, 2f, -1f], [0.5f, 0f, 1f], loss: 0.75);
        var mhd = Create(learner, sgd: new SgdSettings(0.9, false, 0.01), lr: 0.1);
        mhd.UseSelfForMissingNeighbours();
        OneRound(mhd, learner, 0);
        // m = g + λx = (.51, .02, .99); x ← x − .1·m.
        Assert.Equal(new[] { 0.949f, 1.998f, -1.099f }, mhd.Parameters.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        OneRound(mhd, learner, 1);
        // g' = g + λx = (.50949, .01998, .98901); m = .9·m + g' = (.96849, .03798, 1.88001); x ← x − .1·m.
        Assert.Equal(new[] { 0.852151f, 1.994202f, -1.287001f }, mhd.Parameters.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(0.75, mhd.LastLoss);
    }

    [Fact]
    public void Rejects_a_model_without_auxiliary_heads_and_a_public_batch_larger_than_the_pool()
    {
        var one = Assert.Throws<InputException>(() => Create(Learner(heads: 1)));
        Assert.Contains("model.heads", one.Message);
        var big = Assert.Throws<InputException>(() => Create(Learner(), batch: Pool + 1));
        Assert.Contains("public-batch-size", big.Message);
        var target = Assert.Throws<InputException>(() => MhdTargets.Rules.Parse("vote", "experiment.algorithm.mhd.target"));
        Assert.Equal("experiment.algorithm.mhd.target = 'vote': expected one of most-confident | mean", target.Message);
    }
}
