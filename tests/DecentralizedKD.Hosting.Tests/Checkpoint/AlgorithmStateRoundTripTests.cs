using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Training;
using Xunit;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>
/// Per algorithm: train a few rounds, save every agent, load the states into freshly built agents, and run both sets
/// on — the restored agents must take exactly the same steps (same losses, bit-identical parameters and state).
/// </summary>
public sealed class AlgorithmStateRoundTripTests
{
    private static byte[] Save(IAgentRuntime agent)
    {
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer)) CheckpointSupport.StateOf(agent.Algorithm).SaveState(w);
        return buffer.ToArray();
    }

    private static void Load(IAgentRuntime agent, byte[] state)
    {
        using var r = new BinaryReader(new MemoryStream(state));
        CheckpointSupport.StateOf(agent.Algorithm).LoadState(r);
        Assert.Equal(state.Length, r.BaseStream.Position);
    }

    [Theory]
    [InlineData("algorithm.name=local")]
    [InlineData("algorithm.name=dpsgd", "optimizer.nesterov=true", "optimizer.local-steps=2")]
    [InlineData("algorithm.name=qgm", "algorithm.qgm.variant=ema")]
    [InlineData("algorithm.name=qgm", "algorithm.qgm.variant=ccl", "optimizer.nesterov=true")]
    [InlineData("algorithm.name=ccl")]
    [InlineData("algorithm.name=ccl", "algorithm.ccl.qgm=false", "algorithm.ccl.loss=infonce")]
    [InlineData("algorithm.name=mhd", "model.heads=3", "dataset.public-fraction=0.2", "algorithm.mhd.public-batch-size=8")]
    // CHOCO: the public copies x̂ and the applied counts are state; random-k and qsgd draw from per-message streams.
    [InlineData("algorithm.name=choco", "algorithm.choco.compressor=top-k", "algorithm.choco.ratio=0.1")]
    [InlineData("algorithm.name=choco", "algorithm.choco.compressor=random-k", "algorithm.choco.ratio=0.1")]
    [InlineData("algorithm.name=choco", "algorithm.choco.compressor=qsgd", "algorithm.choco.levels=4", "optimizer.nesterov=true")]
    [InlineData("algorithm.name=sparse-dpsgd", "algorithm.sparse-dpsgd.compressor=top-k")]
    [InlineData("algorithm.name=sparse-dpsgd", "algorithm.sparse-dpsgd.compressor=random-k")]
    // IDKD: label exchanges end rounds 1, 3 and 5 — one before the save, then two that relay the saved labels.
    [InlineData("algorithm.name=idkd", "rounds=8", "dataset.public-fraction=0.25", "dataset.synthetic.separability=6", "optimizer.lr=0.2", "algorithm.idkd.start=0.25", "algorithm.idkd.period=0.25", "algorithm.idkd.threshold=0.2")]
    [InlineData("algorithm.name=idkd", "rounds=8", "dataset.public-fraction=0.25", "dataset.synthetic.separability=6", "optimizer.lr=0.2", "algorithm.idkd.start=0.25", "algorithm.idkd.period=0.25", "algorithm.idkd.threshold=0.2",
        "algorithm.idkd.calibration=youden", "algorithm.idkd.validation-fraction=0.2", "algorithm.idkd.selection=average")]
    // Server methods: 3 clients and the server (agent 3); kd-batches > 0 draws a seeded minibatch stream per client.
    [InlineData("algorithm.name=fedavg", "optimizer.local-steps=2")]
    [InlineData("algorithm.name=feddkd", "algorithm.feddkd.steps=2", "algorithm.feddkd.lr=0.05")]
    [InlineData("algorithm.name=feddkd", "algorithm.feddkd.steps=1", "algorithm.feddkd.kd-batches=2", "optimizer.local-steps=2")]
    public void Restored_agents_take_the_same_next_steps(params string[] sets)
    {
        var setup = TinySync.Setup(sets);
        // The fresh agents get a setup of their own, so that report counters (IDKD's public-sample counts, kept
        // outside the agents) must come back from the saved state rather than from the trained agents' setup.
        var freshSetup = TinySync.Setup(sets);
        int agents = setup.Plan.Config.AgentCount;
        TinySync.OnComputeThread(() =>
        {
            var trained = Enumerable.Range(0, agents).Select(setup.CreateAgent).ToList();
            var fresh = Enumerable.Range(0, agents).Select(freshSetup.CreateAgent).ToList();
            try
            {
                // 64-sample batches over 160 local samples: 2 per epoch, so round 3 ends one batch into the second epoch.
                TinySync.Rounds(trained, setup, 0, 3);
                var saved = trained.Select(Save).ToArray();
                Assert.NotEqual(trained[0].Algorithm.Parameters.ToArray(), fresh[0].Algorithm.Parameters.ToArray());
                for (int i = 0; i < agents; i++) Load(fresh[i], saved[i]);
                Assert.Equal(saved, fresh.Select(Save).ToArray());   // the whole state, byte for byte
                Assert.Equal(TinySync.PublicCounts(setup), TinySync.PublicCounts(freshSetup));

                var expected = TinySync.Rounds(trained, setup, 3, 7);
                var actual = TinySync.Rounds(fresh, freshSetup, 3, 7);
                Assert.Equal(expected, actual);
                for (int i = 0; i < agents; i++)
                    Assert.Equal(trained[i].Algorithm.Parameters.ToArray(), fresh[i].Algorithm.Parameters.ToArray());
                var later = trained.Select(Save).ToArray();
                Assert.Equal(later, fresh.Select(Save).ToArray());
                Assert.Equal(TinySync.PublicCounts(setup), TinySync.PublicCounts(freshSetup));
                Assert.NotEqual(saved[0], later[0]);   // the state did move on
            }
            finally
            {
                foreach (var a in trained.Concat(fresh)) a.Dispose();
            }
        });
    }
}

/// <summary>The IDKD rows above are not vacuous: the save falls after one exchange, and two more relay labels after it.</summary>
public sealed class IdkdRoundTripPreconditionTests
{
    [Fact]
    public void Tiny_idkd_exchanges_labels_before_and_after_round_three()
    {
        var setup = TinySync.Setup("algorithm.name=idkd", "rounds=8", "dataset.public-fraction=0.25", "dataset.synthetic.separability=6",
            "optimizer.lr=0.2", "algorithm.idkd.start=0.25", "algorithm.idkd.period=0.25", "algorithm.idkd.threshold=0.2");
        TinySync.OnComputeThread(() =>
        {
            var agents = Enumerable.Range(0, 3).Select(setup.CreateAgent).ToList();
            try
            {
                var idkd = agents.Select(a => (Core.Algorithms.Idkd.IdkdAlgorithm)a.Algorithm).ToArray();
                TinySync.Rounds(agents, setup, 0, 3);
                Assert.All(idkd, a => Assert.Equal(1, a.Labels.Completed));
                Assert.Contains(idkd, a => a.Flagged > 0);
                TinySync.Rounds(agents, setup, 3, 7);
                Assert.All(idkd, a => Assert.Equal(3, a.Labels.Completed));
                Assert.Contains(idkd, a => a.Labels.Selected.Count > 0);
            }
            finally
            {
                foreach (var a in agents) a.Dispose();
            }
        });
    }
}
