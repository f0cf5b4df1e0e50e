using DecentralizedKD.Core;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 4: checks that involve more than one key and need no data. Each value may be fine on its own yet the
/// combination would run something other than what the researcher meant (a schedule milestone after the last round,
/// gossip with one agent). The method's stated requirements are checked here for every method alike, then the
/// method's own checks run. Checks that need the dataset or files run in the setup stage.
/// </summary>
public sealed class CrossKeyStage : IValidationStage
{
    public string Name => "cross-key";

    public void Run(ValidationContext context) => Check(context.Config!);

    public static void Check(ExperimentConfig c)
    {
        var a = c.Algorithm;
        var needs = a.Descriptor.Requirements;
        if (c.Agents < needs.MinAgents)
            throw new InputException($"experiment.agents = {c.Agents}: algorithm '{a.Name}' exchanges messages between agents and needs at least {needs.MinAgents} " +
                "(algorithm.name = local trains a single agent)");

        // A sample larger than the population would silently evaluate everyone, so the run would not be what it says.
        if (c.EvalSampleAgents > c.Agents)
            throw new InputException($"experiment.eval.sample-agents = {c.EvalSampleAgents}: expected at most experiment.agents = {c.Agents} " +
                "(0, the default, evaluates every agent)");

        var s = c.Optimizer.Schedule;
        if (s.Kind == ScheduleKind.Step)
        {
            if (s.Milestones.Length == 0)
                throw new InputException("experiment.optimizer.schedule.milestones: expected a non-empty list of rounds when schedule.kind = step");
            int late = s.Milestones.FirstOrDefault(m => m >= c.Rounds, -1);
            if (late >= 0)
                throw new InputException($"experiment.optimizer.schedule.milestones: milestone {late} is not before the last round (experiment.rounds = {c.Rounds}), so it would never apply");
        }
        if (s.WarmupRounds > c.Rounds)
            throw new InputException($"experiment.optimizer.schedule.warmup-rounds = {s.WarmupRounds}: expected at most experiment.rounds = {c.Rounds}");

        if (needs.PublicPool && c.Dataset.PublicFraction <= 0)
            throw new InputException($"experiment.dataset.public-fraction = {c.Dataset.PublicFraction}: algorithm '{a.Name}' distils on a public pool and needs a value > 0");
        if (c.Model.PerAgent.Count > 0 && !needs.HeterogeneousModels)
            throw new InputException($"{PerAgentModels.Key}: algorithm '{a.Name}' combines or sends model parameters, so every agent needs the same model " +
                $"(experiment.model); per-agent models work with {string.Join(", ", AlgorithmRegistry.All.Where(d => d.Requirements.HeterogeneousModels).Select(d => d.Name))}");
        foreach (var (agents, model) in c.Model.Assignments)
        {
            if (needs.FeatureLayer && !model.Architecture.HasFeatureLayer)
                throw new InputException((c.Model.PerAgent.Count == 0 ? $"experiment.model.name = {model.Name}" : $"{PerAgentModels.Key}: agents \"{agents}\" have name = {model.Name}") +
                    $": algorithm '{a.Name}' distils on the model's features, and this model has no feature layer");
            if (model.Heads < needs.MinHeads)
                throw new InputException((c.Model.PerAgent.Count == 0 ? $"experiment.model.heads = {model.Heads}" : $"{PerAgentModels.Key}: agents \"{agents}\" have heads = {model.Heads}") +
                    $": algorithm '{a.Name}' needs the main head plus at least one auxiliary head (heads >= {needs.MinHeads})");
        }

        if (c.Mode != RunMode.Sync && c.Async.LatencyDist == LatencyKind.Uniform && c.Async.LatencyMin > c.Async.LatencyMax)
            throw new InputException($"experiment.network.latency.min = {c.Async.LatencyMin}s is above latency.max = {c.Async.LatencyMax}s (uniform latency needs min <= max)");
        // Realtime runs follow the wall clock, so a resumed one could never repeat the interrupted one.
        if (c.CheckpointEvery > 0 && c.Mode == RunMode.Realtime)
            throw new InputException($"experiment.checkpoint.every = {c.CheckpointEvery}: checkpoints are supported with experiment.mode = sync or async, " +
                $"not {c.Mode.Name()} (set experiment.checkpoint.every = 0)");
        if (needs.SynchronousRounds && c.Mode != RunMode.Sync && c.Async.MaxStaleness != 0)
            throw new InputException($"experiment.network.max-staleness = {c.Async.MaxStaleness}: {a.Name} runs synchronous rounds; expected 0 in {c.Mode.Name()} mode");

        if (!c.Topology.IsStatic)
        {
            string schedule = $"experiment.topology.schedule = {c.Topology.Schedule}";
            if (!needs.TimeVaryingTopology)
                throw new InputException($"{schedule}: algorithm '{a.Name}' needs the same neighbours in every round; use topology.schedule = static");
            if (c.Mode == RunMode.Realtime)
                throw new InputException($"{schedule}: time-varying schedules run in experiment.mode = sync or async, not realtime");
        }

        a.Descriptor.Check(c);
    }
}
