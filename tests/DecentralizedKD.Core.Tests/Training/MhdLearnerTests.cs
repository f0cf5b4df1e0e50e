using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using DecentralizedKD.Core.Topology;

namespace DecentralizedKD.Core.Tests.Training;

/// <summary>MHD's torch side on a tiny 3-head MLP: logit layout, the loss it minimises, and no leaked tensors.</summary>
public sealed class MhdLearnerTests
{
    private static readonly ModelSpec Spec = new("mlp", [4], 3, 3, [5]);   // main head + K = 2 auxiliary heads
    private static readonly TrainTestSets Data = SyntheticData.Generate(80, 10, 3, [4], 2.0, 7);
    private static readonly int[] Private = Enumerable.Range(0, 60).ToArray();
    private static readonly PublicPool Pool = new(Data.Train, Enumerable.Range(60, 20).ToArray());

    private static (MhdLearner Learner, MultiHeadModel Model) Create(ulong batchSeed = 3)
    {
        var model = (MultiHeadModel)ModelFactory.Create(Spec, 1);
        return (new MhdLearner(model, new FlatParameters(model), Data.Train, new BatchSampler(Private, 8, batchSeed), Pool), model);
    }

    [Fact]
    public void Head_logits_are_laid_out_head_sample_class_and_the_loss_is_ce_plus_weighted_kl()
    {
        torch.set_num_threads(1);
        var (learner, model) = Create();
        using var _m = model;
        using var _l = learner;
        int[] ids = [4, 0, 17];
        var logits = learner.HeadLogits(ids, 2);
        Assert.Equal(2 * 3 * 3, logits.Length);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var heads = model.ForwardHeads(Pool.Features(ids));
            Assert.Equal(heads[1].data<float>().ToArray(), logits[9..]);
            Assert.Equal(heads[0].data<float>().ToArray(), logits[..9]);
        }

        var target = new HeadTarget(2, [0.2f, 0.3f, 0.5f, 1f, 0f, 0f, 0.1f, 0.1f, 0.8f], 0.5);
        double loss = learner.ComputeGradient(ids, [target], 2.0);
        // Replay: the same private batch (same sampler seed) through the unchanged model.
        var replay = new BatchSampler(Private, 8, 3);
        var batch = new int[8];
        replay.Next(batch);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (x, y) = Data.Train.Batch(batch);
            double ce = Losses.CrossEntropy(model.forward(x), y).item<float>();
            var aux2 = model.ForwardHeads(Pool.Features(ids))[2];
            double kl = Losses.KlToTarget(aux2, tensor(target.Probabilities, [3, 3]), 2.0).item<float>();
            Assert.Equal(ce + 0.5 * kl, loss, 1e-5);
        }
        // Only auxiliary head 2 was distilled: head 1 (the 18 parameters before head 2's 18) got no gradient.
        var g = learner.Gradients.ToArray();
        Assert.All(g[^36..^18], v => Assert.Equal(0f, v));
        Assert.Contains(g[^18..], v => v != 0f);
    }

    [Fact]
    public void Two_hundred_mhd_rounds_between_two_agents_leave_no_live_tensors_behind()
    {
        torch.set_num_threads(1);
        var config = new MhdConfig(4, 2.0, [1.0], MhdTargetRule.MostConfident);
        var agents = new[] { 0, 1 }.Select(i =>
        {
            var (learner, model) = Create((ulong)(10 + i));
            var mhd = new Mhd(learner, new MixingRow(i, 0.5, [1 - i], [0.5]), config, new SgdSettings(0.9, false, 1e-4),
                new LearningRateSchedule(0.05), 42, Pool.Count);
            return (Mhd: mhd, Model: model);
        }).ToArray();
        try
        {
            void Round(int r)
            {
                foreach (var a in agents) a.Mhd.LocalWork(r);
                agents[0].Mhd.Receive(agents[1].Mhd.Outgoing(r, 0, 0)!);
                agents[1].Mhd.Receive(agents[0].Mhd.Outgoing(r, 0, 1)!);
                foreach (var a in agents) a.Mhd.Combine(r, 0);
            }
            Round(0);
            var stats = DisposeScopeManager.Statistics;
            long before = stats.ThreadTotalLiveCount;
            for (int r = 1; r <= 200; r++) Round(r);
            Assert.Equal(before, stats.ThreadTotalLiveCount);
            Assert.All(agents, a => Assert.True(double.IsFinite(a.Mhd.LastLoss)));
        }
        finally
        {
            foreach (var a in agents)
            {
                a.Mhd.Dispose();
                a.Model.Dispose();
            }
        }
    }
}
