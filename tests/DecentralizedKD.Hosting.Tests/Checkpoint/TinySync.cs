using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.TestSupport;
using TorchSharp;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Tests.Checkpoint;

/// <summary>A tiny synthetic experiment (MLP on 8×8 inputs) and an in-process synchronous driver for checkpoint tests.</summary>
internal static class TinySync
{
    public static readonly string[] Sets =
    [
        "dataset.name=synthetic", "dataset.synthetic.train-size=480", "dataset.synthetic.test-size=200", "dataset.synthetic.shape=[1, 8, 8]",
        "partition.kind=iid", "model.name=mlp", "model.hidden=[16]", "optimizer.batch-size=64", "agents=3",
    ];

    /// <summary>IDKD's report counters per agent: (flagged at the first exchange, fine-tuning set after the latest).</summary>
    public static (int Flagged, int Selected)[] PublicCounts(HostProcess setup) =>
        Enumerable.Range(0, setup.Plan.Config.AgentCount).Select(i => (setup.PublicSamples.Flagged(i), setup.PublicSamples.Selected(i))).ToArray();

    public static HostProcess Setup(params string[] sets) => HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Sets, .. sets]).Config);

    /// <summary>
    /// Runs rounds [from, to) like the actor engine: local work, then per phase every outgoing payload, delivery in
    /// sender order, combine. Returns every agent's loss per round, in agent order.
    /// </summary>
    public static List<double> Rounds(IReadOnlyList<IAgentRuntime> agents, HostProcess setup, int from, int to)
    {
        var losses = new List<double>();
        for (int r = from; r < to; r++)
        {
            foreach (var a in agents) a.Algorithm.LocalWork(r);
            for (int phase = 0; phase < agents[0].Algorithm.Phases(r); phase++)
            {
                var inbox = agents.Select(_ => new List<Payload>()).ToArray();
                for (int i = 0; i < agents.Count; i++)
                    foreach (int j in setup.Plan.NeighbourLists[i])
                        if (agents[i].Algorithm.Outgoing(r, phase, j) is Payload p) inbox[j].Add(p);
                for (int i = 0; i < agents.Count; i++)
                    foreach (var p in inbox[i].OrderBy(p => p.Sender)) agents[i].Algorithm.Receive(p);
                foreach (var a in agents) a.Algorithm.Combine(r, phase);
            }
            losses.AddRange(agents.Select(a => a.Algorithm.LastLoss));
        }
        return losses;
    }

    /// <summary>Runs <paramref name="body"/> on a fresh thread with one libtorch thread, as the engine's compute threads do.</summary>
    public static void OnComputeThread(Action body)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                torch.set_num_threads(1);
                body();
            }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        Bounded.Join(thread, "the compute thread", 600);
        if (error is not null) throw new AggregateException(error);
    }
}
