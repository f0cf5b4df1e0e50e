using System.Diagnostics;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Training;
using TorchSharp;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// The same agents and algorithm objects as the engine, driven by a plain single-threaded loop with no actors: the
/// baseline that measures what the engine (messages, scheduling, barrier) costs on top of pure compute.
/// </summary>
public static class BareLoop
{
    /// <summary>
    /// Milliseconds per round, measured over rounds after <paramref name="warmup"/>. Runs on a fresh thread because
    /// libtorch's intra-op thread count latches per thread: the caller's thread may already have used torch.
    /// </summary>
    public static double MsPerRound(HostProcess process, int rounds, int warmup)
    {
        double result = 0;
        var thread = new Thread(() => result = Measure(process, rounds, warmup)) { IsBackground = true };
        thread.Start();
        thread.Join();
        return result;
    }

    private static double Measure(HostProcess process, int rounds, int warmup)
    {
        torch.set_num_threads(1);
        var agents = Enumerable.Range(0, process.Plan.Config.AgentCount).Select(process.CreateAgent).ToList();
        try
        {
            var watch = new Stopwatch();
            for (int r = 0; r < rounds; r++)
            {
                if (r == warmup) watch.Start();
                foreach (var a in agents) a.Algorithm.LocalWork(r);
                for (int phase = 0; phase < agents[0].Algorithm.Phases(r); phase++)
                {
                    for (int i = 0; i < agents.Count; i++)
                        foreach (int j in process.Plan.NeighbourLists[i])
                            if (agents[i].Algorithm.Outgoing(r, phase, j) is Payload p) agents[j].Algorithm.Receive(p);
                    foreach (var a in agents) a.Algorithm.Combine(r, phase);
                }
            }
            watch.Stop();
            return watch.Elapsed.TotalMilliseconds / (rounds - warmup);
        }
        finally
        {
            foreach (var a in agents) a.Dispose();
        }
    }
}
