using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Optimization;
using Xunit;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>CCL's protocol on a 3-agent ring with a closed-form learner: which parameters the cross-features use,
/// what each neighbour is sent, the QGM buffer correction and the step.</summary>
public sealed class CclTests
{
    /// <summary>Loss ½|x|² (gradient x); "features" of the batch under θ are θ[0], one class, one sample.</summary>
    private sealed class RecordingLearner(float[] x) : ICrossFeatureLearner
    {
        private readonly float[] _g = new float[x.Length];
        public List<float[]> FeaturesAsked { get; } = [];
        public (float[][] Cross, float[] Sums, float[] Counts)? Targets { get; private set; }
        public Span<float> Parameters => x;
        public Span<float> Gradients => _g;
        public int NumClasses => 1;
        public int FeatureDim => 1;
        public void NextBatch() { }

        public CrossFeatures FeaturesUnder(ReadOnlySpan<float> parameters)
        {
            FeaturesAsked.Add(parameters.ToArray());
            return new CrossFeatures([parameters[0]], [parameters[0]], [1]);
        }

        public void SetTargets(IReadOnlyList<float[]> crossFeatures, float[] neighbourSums, float[] neighbourCounts) =>
            Targets = (crossFeatures.ToArray(), neighbourSums, neighbourCounts);

        public double ComputeGradient()
        {
            x.CopyTo(_g);
            return 0.5 * x.Sum(v => v * v);
        }

        public void Dispose() { }
    }

    private static MixingRow Row(int i) => new(i, 1.0 / 3, new[] { (i + 2) % 3, (i + 1) % 3 }.Order().ToList(), [1.0 / 3, 1.0 / 3]);

    private static (Ccl[] Agents, RecordingLearner[] Learners) Ring(bool qgm)
    {
        var learners = Enumerable.Range(0, 3).Select(i => new RecordingLearner([i + 1, (i + 1) * (i + 1)])).ToArray();
        var lr = new LearningRateSchedule(0.1, ScheduleKind.Constant, [], 0.1, 10, 0, 0);
        var agents = learners.Select((l, i) => new Ccl(l, Row(i), new SgdSettings(0.9, false, 0), lr, qgm)).ToArray();
        return (agents, learners);
    }

    private static void Exchange(Ccl[] agents, int round, int phase)
    {
        var sent = new Dictionary<(int From, int To), Payload>();
        for (int i = 0; i < 3; i++)
            foreach (int j in Row(i).Neighbours)
                if (agents[i].Outgoing(round, phase, j) is Payload p) sent[(i, j)] = p;
        for (int i = 0; i < 3; i++)
            foreach (int j in Row(i).Neighbours) agents[i].Receive(sent[(j, i)]);
        foreach (var a in agents) a.Combine(round, phase);
    }

    [Fact]
    public void Cross_features_use_the_neighbours_received_parameters_not_the_mixed_ones()
    {
        var (agents, learners) = Ring(qgm: true);
        foreach (var a in agents) a.LocalWork(0);
        Exchange(agents, 0, 0);
        // x0 = [1,1], x1 = [2,4], x2 = [3,9]; the mixed point is their mean [2, 14/3] for everyone.
        Assert.Equal([[2f, 4f], [3f, 9f]], learners[0].FeaturesAsked);
        Assert.Equal([[1f, 1f], [3f, 9f]], learners[1].FeaturesAsked);
        Assert.All(learners, l => Assert.Equal(2f, l.Parameters[0], 5));
        // Phase 1: agent 0 sends neighbour 1 its batch's sums under x1 (2) and neighbour 2 those under x2 (3).
        var to1 = (FeatureSumsPayload)agents[0].Outgoing(0, 1, 1)!;
        var to2 = (FeatureSumsPayload)agents[0].Outgoing(0, 1, 2)!;
        Assert.Equal(new[] { 2f }, to1.Sums);
        Assert.Equal(1, to1.Phase);
        Assert.Equal(new[] { 3f }, to2.Sums);
        Assert.Equal(8, to1.Bytes);   // C·D + C floats
    }

    [Fact]
    public void Phase_one_gets_neighbour_sums_and_the_qgm_corrected_buffer_drives_the_step()
    {
        var (agents, learners) = Ring(qgm: true);
        foreach (var a in agents) a.LocalWork(0);
        Exchange(agents, 0, 0);
        Exchange(agents, 0, 1);
        // Agent 0 receives its neighbours' batches under x0 = [1,1]: sums 1 + 1, counts 2; cross-features x1[0], x2[0].
        var (cross, sums, counts) = learners[0].Targets!.Value;
        Assert.Equal([[2f], [3f]], cross);
        Assert.Equal(new[] { 2f }, sums);
        Assert.Equal(new[] { 2f }, counts);
        // m = −(x_mixed − x0)/η = [−10, −36.67]; g = x_mixed; m ← 0.9m + g = [−7, −28.33]; x ← x_mixed − 0.1m = [2.7, 7.5].
        Assert.Equal(2.7f, learners[0].Parameters[0], 4);
        Assert.Equal(7.5f, learners[0].Parameters[1], 4);
        Assert.Equal(-7f, agents[0].Buffer[0], 4);
        Assert.Equal(0.5 * (4 + 14.0 / 3 * 14.0 / 3), agents[0].LastLoss, 4);
    }

    [Fact]
    public void Without_qgm_the_buffer_is_plain_local_momentum()
    {
        var (agents, learners) = Ring(qgm: false);
        foreach (var a in agents) a.LocalWork(0);
        Exchange(agents, 0, 0);
        Exchange(agents, 0, 1);
        // m = g = x_mixed; x ← x_mixed − 0.1·x_mixed.
        Assert.Equal(2f * 0.9f, learners[0].Parameters[0], 4);
        Assert.Equal(2f, agents[0].Buffer[0], 4);
    }
}
