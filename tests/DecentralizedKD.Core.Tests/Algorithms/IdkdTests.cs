using DecentralizedKD.Core.Algorithms.Idkd;
using TorchSharp;
using Xunit;

namespace DecentralizedKD.Core.Tests.Algorithms;

public sealed class IdkdTests
{
    private const int C = 3;

    private static SoftLabels Labels(params (int Id, float[] Row)[] rows) =>
        new(rows.Select(r => r.Id).ToArray(), rows.SelectMany(r => r.Row).ToArray(), C);

    private static float[] RowOf(SoftLabels s, int poolId)
    {
        int k = s.PoolIds.IndexOf(poolId);
        Assert.True(k >= 0, $"pool id {poolId} not selected");
        return s.Row(k).ToArray();
    }

    // Path 0 – 1 – 2: agent 1 is the middle, agents 0 and 2 are two hops apart.
    private static readonly int[][] Neighbours = [[1], [0, 2], [1]];
    private static readonly int[][] Histograms = [[50, 10, 0], [5, 40, 10], [0, 0, 60]];

    private static readonly float[] A2 = [0.9f, 0.05f, 0.05f], A3 = [0.6f, 0.3f, 0.1f], A4 = [0.2f, 0.7f, 0.1f], A5 = [0.1f, 0.8f, 0.1f];
    private static readonly float[] B2 = [0.2f, 0.7f, 0.1f], B4 = [0.1f, 0.2f, 0.7f], B5 = [0.05f, 0.9f, 0.05f], B7 = [0.1f, 0.1f, 0.8f];
    private static readonly float[] C7 = [0.3f, 0.3f, 0.4f], C9 = [0f, 0.05f, 0.95f], C12 = [0.1f, 0.8f, 0.1f];

    /// <summary>What each agent's own detector kept (pool ids 0..12; nobody flagged 8).</summary>
    private static readonly SoftLabels[] Flagged =
    [
        Labels((2, A2), (3, A3), (4, A4), (5, A5)),
        Labels((2, B2), (4, B4), (5, B5), (7, B7)),
        Labels((7, C7), (9, C9), (12, C12)),
    ];

    /// <summary>One exchange among the three agents; neighbour payloads are delivered in descending sender order on purpose.</summary>
    private static SoftLabels[] Exchange(LabelExchange[] nodes, int round)
    {
        var sent = nodes.Select((n, i) => n.Prepare(round, 1, () => Flagged[i])).ToArray();
        for (int i = 0; i < nodes.Length; i++)
            foreach (int j in Neighbours[i].OrderDescending()) nodes[i].Receive(sent[j]);
        return nodes.Select(n => n.Combine(round)).ToArray();
    }

    private static LabelExchange[] Nodes(LabelSelection selection) =>
        Enumerable.Range(0, 3).Select(i => new LabelExchange(i, Histograms, selection, C)).ToArray();

    [Fact]
    public void Support_selection_takes_the_sender_with_most_local_samples_of_its_predicted_class()
    {
        var first = Exchange(Nodes(LabelSelection.Support), 10);

        // Agent 1 hears everyone. id 2: agent 0 predicts class 0 (50 samples) vs agent 1 class 1 (40) → agent 0.
        Assert.Equal(new[] { 2, 3, 4, 5, 7, 9, 12 }, first[1].PoolIds.ToArray());   // 8: nobody flagged it
        Assert.Equal(A2, RowOf(first[1], 2));
        Assert.Equal(B5, RowOf(first[1], 5));    // agent 0 predicts class 1 with only 10 samples, agent 1 with 40
        Assert.Equal(C7, RowOf(first[1], 7));    // class 2: agent 2 holds 60, agent 1 only 10
        Assert.Equal(A4, RowOf(first[1], 4));    // 10 vs 10: the tie goes to the lower sender id
        // Only senders that flagged a sample compete: in the reference code agent 1's zero vector (argmax class 0,
        // 5 samples) would beat agent 2's class-1 label (0 samples) and leave a zero target.
        Assert.Equal(C12, RowOf(first[1], 12));
        Assert.Equal(1f, RowOf(first[1], 3).Sum(), 5);

        Assert.Equal(new[] { 2, 3, 4, 5, 7 }, first[0].PoolIds.ToArray());
        Assert.Equal(B7, RowOf(first[0], 7));
        Assert.Equal(new[] { 2, 4, 5, 7, 9, 12 }, first[2].PoolIds.ToArray());
        Assert.Equal(B2, RowOf(first[2], 2));    // agent 0's label for 2 is two hops away
    }

    [Fact]
    public void Relayed_labels_reach_an_agent_two_hops_away_at_the_second_exchange()
    {
        var nodes = Nodes(LabelSelection.Support);
        var first = Exchange(nodes, 10);
        Assert.DoesNotContain(3, first[2].PoolIds.ToArray());     // only agent 0 flagged 3

        var second = Exchange(nodes, 15);                          // later exchanges re-send the previous selection
        Assert.Equal(A3, RowOf(second[2], 3));
        // id 2: agent 1 now relays agent 0's class-0 label (agent 1 holds 5 of class 0) against agent 2's own previous
        // class-1 label (agent 2 holds none of class 1): the relayed label wins.
        Assert.Equal(A2, RowOf(second[2], 2));
        Assert.Equal(new[] { 2, 3, 4, 5, 7, 9, 12 }, second[0].PoolIds.ToArray());
        Assert.Equal(C9, RowOf(second[0], 9));
        Assert.All(nodes, n => Assert.Equal(2, n.Completed));
        // Selections only grow: an agent's own previous labels are part of its neighbourhood.
        for (int i = 0; i < 3; i++) Assert.Superset(first[i].PoolIds.ToArray().ToHashSet(), second[i].PoolIds.ToArray().ToHashSet());
    }

    [Fact]
    public void Average_selection_is_the_mean_of_the_senders_that_flagged_the_sample()
    {
        var first = Exchange(Nodes(LabelSelection.Average), 10);
        static bool Near(float a, float b) => Math.Abs(a - b) < 1e-6;
        Assert.Equal(new[] { 0.55f, 0.375f, 0.075f }, RowOf(first[1], 2), Near);   // (A2 + B2)/2
        Assert.Equal(new[] { 0.2f, 0.2f, 0.6f }, RowOf(first[1], 7), Near);        // (B7 + C7)/2
        Assert.Equal(C9, RowOf(first[1], 9));                                       // only agent 2 flagged 9
    }

    [Fact]
    public void A_missing_neighbour_payload_is_simply_absent_and_a_stale_one_is_never_reused()
    {
        var node = new LabelExchange(1, Histograms, LabelSelection.Support, C);
        node.Receive(new SoftLabelPayload(5, 0, Flagged[0]) { Phase = 1 });          // from an older exchange
        node.Prepare(10, 1, () => Flagged[1]);
        node.Receive(new SoftLabelPayload(10, 2, Flagged[2]) { Phase = 1 });         // agent 0's payload never arrived
        var selected = node.Combine(10);
        Assert.Equal(new[] { 2, 4, 5, 7, 9, 12 }, selected.PoolIds.ToArray());
        Assert.Equal(B2, RowOf(selected, 2));
    }

    [Fact]
    public void Msp_keeps_samples_whose_tempered_max_softmax_exceeds_the_threshold()
    {
        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        float[] logits = [2, 0, 0, 1, 1, 0, 0, 0, 5];
        (float[] P, float[] S) Score(double t)
        {
            using var scope = torch.NewDisposeScope();
            return MspDetector.Score(torch.tensor(logits, [3, 3]), t);
        }
        // T = 1: e²/(e²+2), e/(2e+1), e⁵/(e⁵+2).
        var (p1, s1) = Score(1.0);
        Assert.Equal(new[] { 0.786986f, 0.422319f, 0.986703f }, s1, (a, b) => Math.Abs(a - b) < 1e-6);
        // T = 0.5 doubles the logits: e⁴/(e⁴+2), e²/(2e²+1), e¹⁰/(e¹⁰+2).
        var (p05, s05) = Score(0.5);
        Assert.Equal(new[] { 0.964663f, 0.468311f, 0.999909f }, s05, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);

        Assert.Equal(new[] { 2 }, MspDetector.Keep(p1, s1, 3, 0.9).PoolIds.ToArray());
        var kept = MspDetector.Keep(p05, s05, 3, 0.9);
        Assert.Equal(new[] { 0, 2 }, kept.PoolIds.ToArray());
        Assert.Equal(new[] { 0.964663f, 0.017668f, 0.017668f }, kept.Row(0).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        var (p2, s2) = Score(2.0);
        Assert.Empty(MspDetector.Keep(p2, s2, 3, 0.9).PoolIds.ToArray());            // e^2.5/(e^2.5+2) = 0.859
        Assert.Equal(new[] { 2 }, MspDetector.Keep(p05, s05, 3, s05[0]).PoolIds.ToArray());   // strictly greater
    }

    [Fact]
    public void Youden_threshold_maximises_tpr_minus_fpr()
    {
        // τ: 0.95 → J 0; 0.92 → 1/3; 0.9 → 1/3 − 1/4; 0.6 → 2/3 − 1/4; 0.5 → 1 − 1/4 (best); 0.4 → 1/2; 0.3 → 1/4.
        Assert.Equal(0.5f, (float)YoudenThreshold.Compute([0.95f, 0.9f, 0.6f], [0.92f, 0.5f, 0.4f, 0.3f]));
        // 0.8 and 0.1 both give J = 1/2: the higher (more conservative) cut wins.
        Assert.Equal(0.8f, (float)YoudenThreshold.Compute([0.9f, 0.7f], [0.8f, 0.1f]));
        // Nothing separates: keep nothing (τ = the largest score).
        Assert.Equal(0.9f, (float)YoudenThreshold.Compute([0.3f], [0.9f]));
    }

    [Fact]
    public void Label_payload_bytes_are_eight_per_index_plus_four_per_label_value()
    {
        var labels = new SoftLabels([1, 4, 9], new float[3 * 10], 10);
        var payload = new SoftLabelPayload(3, 0, labels) { Phase = 1 };
        Assert.Equal(8 * 3 + 4 * 3 * 10, payload.Bytes);
        Assert.Equal("soft-labels", payload.Kind);
        Assert.Equal(0, new SoftLabelPayload(3, 0, SoftLabels.Empty(10)).Bytes);
        Assert.Throws<ArgumentException>(() => new SoftLabels([4, 1], new float[20], 10));
    }

    [Fact]
    public void Exchanges_follow_the_run_relative_schedule()
    {
        // The defaults on the 1170-round Fashion-MNIST run: after round 936, then every round(19.539) = 20 rounds.
        var s = ExchangeSchedule.FromFractions(0.8, 0.0167, 1170);
        Assert.Equal((936, 20, 12), (s.FirstAfter, s.Every, s.Count));
        Assert.True(s.IsExchange(935));
        Assert.False(s.IsExchange(936));
        Assert.True(s.IsExchange(1155));
        Assert.Equal(11, s.IndexOf(1155));
        Assert.Equal(12, Enumerable.Range(0, 1170).Count(s.IsExchange));
        var tiny = ExchangeSchedule.FromFractions(0.5, 0.25, 8);
        Assert.Equal(new[] { 3, 5, 7 }, Enumerable.Range(0, 8).Where(tiny.IsExchange));
        Assert.Equal(1, ExchangeSchedule.FromFractions(0, 0.5, 10).FirstAfter);   // never before the first round ends
        Assert.Throws<InputException>(() => ExchangeSchedule.FromFractions(0.5, 0, 10));
    }
}
