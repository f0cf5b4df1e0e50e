using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>IDKD end to end on small synthetic data: exchanges happen, keep samples, and stay reproducible.</summary>
[Collection("engine")]
public sealed class IdkdRunTests(ITestOutputHelper output)
{
    // 20 rounds; exchanges end rounds 10, 15 and 20 (0-based iterations 9, 14, 19).
    private static readonly string[] Tiny =
    [
        "agents=4", "rounds=20", "eval-every=10", "algorithm.name=idkd", "dataset.name=synthetic",
        "dataset.synthetic.train-size=1200", "dataset.synthetic.test-size=200", "dataset.synthetic.separability=6",
        "dataset.public-fraction=0.25", "partition.alpha=0.5", "model.name=mlp", "model.hidden=[32]",
        "optimizer.lr=0.2", "algorithm.idkd.start=0.5", "algorithm.idkd.period=0.25", "algorithm.idkd.threshold=0.5",
    ];

    private static HostProcess Setup(params string[] sets) => HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Tiny, .. sets]).Config);

    private static int[] Selected(HostProcess s) => Enumerable.Range(0, s.Plan.Config.Agents).Select(s.PublicSamples.Selected).ToArray();

    [Fact]
    public void Tiny_idkd_run_keeps_public_samples_and_is_bit_identical_across_runs()
    {
        var s1 = Setup();
        var s2 = Setup();
        var a = LocalRun.Run(s1);
        var b = LocalRun.Run(s2);
        Assert.Null(a.Error);
        Assert.Equal(Deterministic(a), Deterministic(b));
        Assert.Equal(Selected(s1), Selected(s2));
        int[] flagged = Enumerable.Range(0, 4).Select(s1.PublicSamples.Flagged).ToArray();
        output.WriteLine($"flagged {string.Join(',', flagged)}; selected {string.Join(',', Selected(s1))} of {s1.Plan.Partition.PublicIndices.Length}");
        Assert.True(flagged.Sum() > 0, "no agent's detector kept a public sample");
        Assert.All(Selected(s1), n => Assert.InRange(n, 1, s1.Plan.Partition.PublicIndices.Length));
        // Label traffic: whole records of 8 + 4·10 bytes, next to the parameter gossip of every round.
        long labels = a.BytesByKind[SoftLabelPayload.KindName];
        Assert.True(labels > 0);
        Assert.Equal(0, labels % 48);
        Assert.Equal(4L * 2 * 4 * s1.Plan.ParameterCount * 20, a.BytesByKind[ParameterPayload.KindName]);
    }

    [Fact]
    public void Lock_step_async_idkd_matches_the_synchronous_engine_and_youden_calibrates()
    {
        string[] lockStep = ["network.latency.dist=constant", "network.latency.value=10ms", "network.max-staleness=0",
            "compute.step-time=20ms", "algorithm.idkd.calibration=youden", "algorithm.idkd.validation-fraction=0.2"];
        var sync = Setup(lockStep);
        var asyncSetup = Setup([.. lockStep, "mode=async"]);
        var syncRun = LocalRun.Run(sync);
        var asyncRun = LocalRun.Run(asyncSetup);
        Assert.Null(syncRun.Error);
        Assert.Null(asyncRun.Error);
        // Virtual time differs by the label transfers, which the synchronous pace does not model; the rest is identical.
        Assert.Equal(syncRun.Metrics.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })),
            asyncRun.Metrics.Select(m => MetricsCsv.Format(m with { WallS = 0, VirtualTimeS = 0 })));
        Assert.Equal(Selected(sync), Selected(asyncSetup));
        Assert.Contains(Selected(sync), n => n > 0);
    }

    [Fact]
    public void Async_idkd_with_dropped_label_payloads_does_not_fail()
    {
        var s = Setup("mode=async", "network.drop=0.3", "network.max-staleness=1", "network.wait-timeout=50ms");
        var r = LocalRun.Run(s);
        Assert.Null(r.Error);
        Assert.True(r.Async!.Dropped > 0);
        Assert.Contains(Selected(s), n => n > 0);
    }

    [Fact]
    public void Idkd_without_a_public_pool_is_rejected_naming_the_key()
    {
        var e = Assert.Throws<InputException>(() => ExperimentConfigLoader.Load(null, [.. Tiny, "dataset.public-fraction=0"]));
        Assert.Contains("experiment.dataset.public-fraction", e.Message);
    }

    [Fact]
    public void An_exchange_leaves_no_live_tensors_behind()
    {
        torch.set_num_threads(1);
        var setup = Setup("agents=3");
        var agents = Enumerable.Range(0, 3).Select(setup.CreateAgent).ToList();
        try
        {
            void Round(int r)
            {
                foreach (var a in agents) a.Algorithm.LocalWork(r);
                for (int phase = 0; phase < agents[0].Algorithm.Phases(r); phase++)
                {
                    for (int i = 0; i < agents.Count; i++)
                        foreach (int j in setup.Plan.NeighbourLists[i])
                            if (agents[i].Algorithm.Outgoing(r, phase, j) is Payload p) agents[j].Algorithm.Receive(p);
                    foreach (var a in agents) a.Algorithm.Combine(r, phase);
                }
            }
            Round(0);
            var stats = DisposeScopeManager.Statistics;
            long before = stats.ThreadTotalLiveCount;
            long createdBefore = stats.CreatedInScopeCount;
            for (int r = 1; r < 12; r++) Round(r);          // the first exchange ends iteration 9, then fine-tuning
            Assert.Equal(2, agents[0].Algorithm.Phases(9));
            Assert.Equal(before, stats.ThreadTotalLiveCount);
            Assert.True(stats.CreatedInScopeCount - createdBefore > 11 * 3 * 5, "the statistics did count the per-step tensors");
            Assert.All(agents, a => Assert.Equal(1, ((IdkdAlgorithm)a.Algorithm).Labels.Completed));
            Assert.All(agents, a => Assert.True(((IdkdAlgorithm)a.Algorithm).Labels.Selected.Count > 0));   // fine-tuning used public rows
        }
        finally
        {
            foreach (var a in agents) a.Dispose();
        }
    }
}
