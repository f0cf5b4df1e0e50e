using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Training;
using Xunit;

namespace DecentralizedKD.Cluster.Tests.Checkpoint;

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
    public void Restored_agents_take_the_same_next_steps(params string[] sets)
    {
        var setup = TinySync.Setup(sets);
        TinySync.OnComputeThread(() =>
        {
            var trained = Enumerable.Range(0, 3).Select(setup.CreateAgent).ToList();
            var fresh = Enumerable.Range(0, 3).Select(setup.CreateAgent).ToList();
            try
            {
                // 64-sample batches over 160 local samples: 2 per epoch, so round 3 ends one batch into the second epoch.
                TinySync.Rounds(trained, setup, 0, 3);
                var saved = trained.Select(Save).ToArray();
                Assert.NotEqual(trained[0].Algorithm.Parameters.ToArray(), fresh[0].Algorithm.Parameters.ToArray());
                for (int i = 0; i < 3; i++) Load(fresh[i], saved[i]);
                Assert.Equal(saved, fresh.Select(Save).ToArray());   // the whole state, byte for byte

                var expected = TinySync.Rounds(trained, setup, 3, 7);
                var actual = TinySync.Rounds(fresh, setup, 3, 7);
                Assert.Equal(expected, actual);
                for (int i = 0; i < 3; i++)
                    Assert.Equal(trained[i].Algorithm.Parameters.ToArray(), fresh[i].Algorithm.Parameters.ToArray());
                var later = trained.Select(Save).ToArray();
                Assert.Equal(later, fresh.Select(Save).ToArray());
                Assert.NotEqual(saved[0], later[0]);   // the state did move on
            }
            finally
            {
                foreach (var a in trained.Concat(fresh)) a.Dispose();
            }
        });
    }
}
