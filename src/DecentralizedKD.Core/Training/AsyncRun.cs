using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using TorchSharp;

namespace DecentralizedKD.Core.Training;

/// <summary>Everything an asynchronous run produced.</summary>
/// <summary>
/// Asynchronous mode in deterministic virtual time: builds the link, compute and churn models from the
/// config and runs every agent through <see cref="AsyncSimulation"/> on one dedicated thread (libtorch intra-op
/// threads = 1). <c>experiment.rounds</c> is each agent's iteration budget.
/// </summary>
public static class AsyncRun
{
    public static RunResult Run(HostProcess process, Action<MetricsRow>? onRow = null, IAsyncObserver? extra = null)
    {
        RunResult? outcome = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { outcome = RunHere(process, onRow, extra); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = "dkd-async" };
        thread.Start();
        thread.Join();
        if (failure is InputException) throw failure;
        if (failure is not null) throw new InvalidOperationException($"asynchronous run failed: {failure.GetType().Name}: {failure.Message}", failure);
        return outcome!;
    }

    /// <summary>The shared, read-only pieces of an asynchronous run and a factory for its agents.</summary>
    public sealed record World(HostProcess Process, ComputeModel Compute, ChurnSchedule Churn, AsyncSettings Settings, double Lookahead)
    {
        /// <summary>
        /// Agent i with its own link model instance: link draws depend only on (seed, from, to), so separate instances
        /// give identical results and no mutable state is shared between agents running on different threads.
        /// </summary>
        public AsyncAgent CreateAgent(int i, IAsyncObserver observer)
        {
            var c = Process.Plan.Config;
            // The FedAvg/FedDKD server computes nothing, but it is "ready" when an unslowed client finishes its local
            // work, so its wait-timeout counts from when the uploads are due (stragglers are drawn among the clients).
            double step = i < c.Agents ? Compute.StepSeconds(i) : c.StepTimeS;
            return new AsyncAgent(i, Process.CreateAgent(i), Process.Plan.NeighbourLists[i], Links(c), step * c.Optimizer.LocalSteps,
                Churn, Settings, observer);
        }

        internal static LinkModel Links(Config.ExperimentConfig c)
        {
            var a = c.Async;
            var latency = LatencyDistribution.Create(a.LatencyDist, a.LatencyValue, a.LatencyMin, a.LatencyMax, a.LatencyMean, a.LatencyMedian, a.LatencySigma);
            var overrides = a.LinksFile.Length > 0 ? LinkOverridesFile.Read(a.LinksFile, c.AgentCount) : null;
            return new LinkModel(latency, a.BandwidthBytesPerSecond, a.Drop, Rng.DeriveSeed(c.Seed, -1, "links"), overrides);
        }
    }

    public static World Prepare(HostProcess process)
    {
        var c = process.Plan.Config;
        var a = c.Async;
        var compute = new ComputeModel(c.Agents, c.StepTimeS, a.StragglerFraction, a.StragglerSlowdown, Rng.DeriveSeed(c.Seed, -1, "compute"));
        ChurnSchedule churn = a.ChurnKind switch
        {
            ChurnKind.Bernoulli => new ChurnSchedule.Bernoulli(a.ChurnPOffline, a.ChurnPeriodS, Rng.DeriveSeed(c.Seed, -1, "churn")),
            ChurnKind.Schedule => ChurnSchedule.Intervals.ReadFile(a.ChurnFile, c.AgentCount),
            _ => ChurnSchedule.None,
        };
        var settings = new AsyncSettings(c.Rounds, a.MaxStaleness, a.WaitTimeoutS, c.EvaluatesAfter);
        return new World(process, compute, churn, settings, World.Links(c).MinimumLatency);
    }

    private static RunResult RunHere(HostProcess process, Action<MetricsRow>? onRow, IAsyncObserver? extra)
    {
        torch.set_num_threads(1);
        var c = process.Plan.Config;
        var world = Prepare(process);
        using var evaluator = process.Plan.ModelsDiffer ? null : process.CreateEvaluator();
        var metrics = new AsyncMetrics(c.AgentCount, evaluator, onRow, c.Agents);
        var stats = new AsyncStats();
        IAsyncObserver observer = extra is null ? new ObserverFanOut(metrics, stats) : new ObserverFanOut(metrics, stats, extra);
        var agents = Enumerable.Range(0, c.AgentCount).Select(i => world.CreateAgent(i, observer)).ToList();
        try
        {
            AsyncSimulation.Run(agents);
            metrics.Finish();
            var byKind = ByteCounts.Merge(agents.Select(x => (IReadOnlyDictionary<string, long>)x.BytesByKind));
            return new RunResult(metrics.Rows, metrics.LastAccuracies, agents.Select(x => x.BytesSent).ToArray(), byKind, null) { Async = stats };
        }
        finally
        {
            foreach (var agent in agents) agent.Dispose();
        }
    }
}
