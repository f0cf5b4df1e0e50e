using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Cluster.Config;

/// <summary>
/// Checks that involve more than one key and need no data: each value may be fine on its own yet the combination
/// would run something other than what the researcher meant (a schedule milestone after the last round, gossip with
/// one agent). Checks that need the dataset or files (agents vs samples, topology files) run when the experiment is
/// set up, still before any results directory exists.
/// </summary>
public static class CrossKeyChecks
{
    public static void Check(ExperimentConfig c)
    {
        var a = c.Algorithm;
        if (c.Agents < 2 && a.Name != "local" && !a.HasServer)
            throw new InputException($"experiment.agents = {c.Agents}: algorithm '{a.Name}' exchanges messages between agents and needs at least 2 (algorithm.name = local trains a single agent)");

        var s = c.Optimizer.Schedule;
        if (s.Kind == "step")
        {
            if (s.Milestones.Length == 0)
                throw new InputException("experiment.optimizer.schedule.milestones: expected a non-empty list of rounds when schedule.kind = step");
            int late = s.Milestones.FirstOrDefault(m => m >= c.Rounds, -1);
            if (late >= 0)
                throw new InputException($"experiment.optimizer.schedule.milestones: milestone {late} is not before the last round (experiment.rounds = {c.Rounds}), so it would never apply");
        }
        if (s.WarmupRounds > c.Rounds)
            throw new InputException($"experiment.optimizer.schedule.warmup-rounds = {s.WarmupRounds}: expected at most experiment.rounds = {c.Rounds}");

        if (a.Name is "idkd" or "mhd" && c.Dataset.PublicFraction <= 0)
            throw new InputException($"experiment.dataset.public-fraction = {c.Dataset.PublicFraction}: algorithm '{a.Name}' distils on a public pool and needs a value > 0");
        if (a.Name == "mhd" && c.Model.Heads < 2)
            throw new InputException($"experiment.model.heads = {c.Model.Heads}: algorithm 'mhd' needs the main head plus at least one auxiliary head (heads >= 2)");

        if (c.Mode != "sync" && c.Async.LatencyDist == "uniform" && c.Async.LatencyMin > c.Async.LatencyMax)
            throw new InputException($"experiment.network.latency.min = {c.Async.LatencyMin}s is above latency.max = {c.Async.LatencyMax}s (uniform latency needs min <= max)");
    }
}
