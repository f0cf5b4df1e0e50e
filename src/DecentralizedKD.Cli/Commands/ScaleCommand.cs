using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Validation;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd scale</c>: many agents in one process through the real engine (actors, D-PSGD on a ring, LeNet-5 on
/// synthetic 28×28 data by default) for a few rounds; reports resident memory before and after creating the agents
/// (hence per agent), every N rounds, at the end and at its peak, plus ms per round. Writes no results directory.
/// <c>--mode async</c> runs the same workload asynchronously (virtual time, lognormal link latency with a 10 ms median):
/// a "round" is then an iteration that every agent has finished.
/// </summary>
public sealed class ScaleCommand : ICommand
{
    private const int DefaultAgents = 1000;
    private const int DefaultRounds = 5;
    private const int DefaultThreads = 0;

    public CommandSpec Spec { get; } = new("scale",
        "resident memory and round time of N agents in one process (writes no results folder)",
        options:
        [
            OptionSpec.Value("agents", "N", "number of agents (2 to 100000)", DefaultAgents),
            OptionSpec.Value("rounds", "R", "rounds to run (at least 2; at least 3 in async mode)", DefaultRounds),
            OptionSpec.Value("report-every", "K", "sample resident memory every K rounds", "rounds ÷ 10, at least 1"),
            OptionSpec.Value("threads", "T", "compute threads (0: one per core)", DefaultThreads),
            OptionSpec.Value("mode", "M", "sync, or async (virtual time, lognormal latency, median 10 ms)", RunModes.Table.NameOf(RunMode.Sync)),
            OptionSpec.Repeated("set", "key=value", "override one config key of the workload"),
            OptionSpec.Switch("settle", "run a blocking, compacting full collection before each sample and also print the managed heap"),
            OptionSpec.Switch("json", "print one JSON object instead of the table"),
        ],
        details: "Runs the real engine (actors, D-PSGD on a ring, LeNet-5, synthetic 28×28 data with ten samples per agent, evaluated " +
                 "only after the last round on 200 test images) and reports resident memory before and after creating the agents (hence per agent), every K " +
                 "rounds, at the end and at its peak, plus ms per round and per agent-round over rounds 2 to R (the final evaluation " +
                 "excluded) with the garbage collector's collections and pause time in those rounds, and one agent's memory by " +
                 "component. In async mode a round is an iteration every agent has finished, so ms per round is the cost of one " +
                 "iteration of all agents, timed over iterations 2 to R-1 (each agent evaluates at the end of its last iteration).");

    public int Run(ParsedArgs args, TextWriter output)
    {
        int agents = args.Int("agents", DefaultAgents, 2, ExperimentLimits.MaxAgents);
        int rounds = args.Int("rounds", DefaultRounds, 2);
        int threads = args.Int("threads", DefaultThreads, 0, 1024);
        string modeText = args.String("mode") ?? RunModes.Table.NameOf(RunMode.Sync);
        string[] modeKeys = (RunModes.Table.TryParse(modeText, out var mode) ? mode : RunMode.Realtime) switch
        {
            RunMode.Sync => [$"mode={modeText}"],
            RunMode.Async => [$"mode={modeText}", "network.latency.dist=lognormal", "network.latency.median=10ms"],
            _ => throw new InputException($"dkd scale: --mode expects {RunModes.Table.NameOf(RunMode.Sync)} or {RunModes.Table.NameOf(RunMode.Async)}, got '{modeText}'"),
        };
        // Ten samples per agent (batch 32 tiles them): the data stays small, so the numbers are about the agents.
        var loaded = ExperimentConfigLoader.Load(null,
        [
            "name=scale", $"agents={agents}", $"rounds={rounds}", "eval-every=0", $"threads={threads}",
            "dataset.name=synthetic", $"dataset.synthetic.train-size={Math.Max(1000, 10 * agents)}", "dataset.synthetic.test-size=200",
            "partition.kind=iid", "topology.kind=ring", "algorithm.name=dpsgd", "model.name=lenet5", .. modeKeys,
            .. args.All("set"),
        ]);
        // What runs is the resolved config (a --set may override mode or rounds): check and time that, before the
        // expensive preparation.
        rounds = loaded.Config.Rounds;
        bool isAsync = loaded.Config.Mode != RunMode.Sync;
        if (isAsync && rounds < 3)
            throw new InputException($"dkd scale: async mode needs at least 3 rounds (iteration 1 warms up, the last one carries the final evaluation), got {rounds}");
        // Round 1 allocates payload snapshots and optimizer state. Sync: the timer stops at the end of round R, before
        // the final evaluation. Async: an agent evaluates at the end of its last iteration, in the same window, so the
        // timed span stops one iteration earlier (it otherwise counted 1,000 evaluations as iteration time).
        int lastTimed = isAsync ? rounds - 1 : rounds;
        int every = args.Int("report-every", Math.Max(1, rounds / 10), 1);
        var setupWatch = Stopwatch.StartNew();
        var process = ValidationPipeline.Prepare(loaded, ValidationPurpose.Scale);
        setupWatch.Stop();

        var memory = new MemoryProbe(process.Plan.Config.Agents, managed: true);
        var trace = new MemoryTrace(every, settle: args.Switch("settle"));
        var timer = new RoundTimer(warmup: 1, lastRound: lastTimed);
        var wall = Stopwatch.StartNew();
        // Async: rounds come from the agents' iterations (the engine's metrics rows only come with evaluations).
        var result = LocalRun.Run(process, isAsync ? memory : new RunObservers(timer, trace, memory),
            isAsync ? new IterationProgress(process.Plan.Config.AgentCount, timer, trace) : null, hooks: new RunHooks
        {
            BeforeAgents = memory.MarkBeforeAgents,
            AgentsCreated = memory.MarkAgentsCreated,
        });
        wall.Stop();
        if (result.Error is not null) throw new InvalidOperationException(result.Error);

        var c = process.Plan.Config;
        static double? Mb(long? b) => b is long v ? Math.Round(v / 1048576.0, 1) : null;
        static double? Kb(double? b) => b is double v ? Math.Round(v / 1024, 1) : null;
        // Builds a probe agent (for the method's declared state): once, for both the JSON and the table.
        var footprint = AgentFootprint.Of(process, memory);
        var report = new Dictionary<string, object?>
        {
            ["workload"] = $"{c.Algorithm.Name} {c.Topology.Kind.Name}-{c.Agents} {Models(process)} batch {c.Optimizer.BatchSize}, {c.Dataset.Name} {process.Plan.Data.Train.Count} samples, {rounds} rounds",
            ["mode"] = c.Mode.Name(),
            ["agents"] = c.Agents,
            ["parameters"] = process.Plan.LargestParameterCount,
            ["setupSeconds"] = Math.Round(setupWatch.Elapsed.TotalSeconds, 2),
            ["runSeconds"] = Math.Round(wall.Elapsed.TotalSeconds, 2),
            ["timedRounds"] = timer.TimedRounds, // rounds 2 to lastTimed
            ["msPerRound"] = Math.Round(timer.MsPerRound, 1),
            ["msPerAgentRound"] = Math.Round(timer.MsPerRound / c.AgentCount, 3),
            // The collector's share of those rounds: collections by generation and pause time per round.
            ["gcCollections"] = timer.Collections,
            ["gcPauseMsPerRound"] = Math.Round(timer.GcPauseMsPerRound, 1),
            // Async: how the conservative windows went (more windows with fewer agents each cost more per iteration).
            ["windows"] = result.Windows?.Windows,
            ["meanActiveAgentsPerWindow"] = result.Windows is { } w ? Math.Round(w.MeanActiveAgents, 1) : null,
            ["rssBeforeAgentsMB"] = Mb(memory.BeforeAgents),
            ["rssAfterAgentsMB"] = Mb(memory.AfterAgents),
            ["perAgentAtCreationKB"] = Kb(memory.PerAgent(memory.AfterAgents)),
            ["rssAtEndMB"] = Mb(memory.AtLastEvaluation),
            ["perAgentAtEndKB"] = Kb(memory.PerAgent(memory.AtLastEvaluation)),
            ["peakRssMB"] = Mb(ProcessMemory.PeakResidentBytes()),
            ["settled"] = args.Switch("settle"),
            // Parameter snapshots, mixing scratch and evaluation copies come from a pool: allocated stays near one per
            // agent (synchronous) however many rounds ran.
            ["pooledBuffersAllocated"] = process.BufferPool.Counters.Allocated,
            ["pooledBuffersRented"] = process.BufferPool.Counters.Rented,
            ["pooledBuffersOutstandingAtEnd"] = process.BufferPool.Counters.Outstanding,
            ["perAgentBytes"] = footprint.ToDictionary(),
            ["rssEveryRoundsMB"] = trace.Samples.Select(s => new { round = s.Round, rssMB = Mb(s.Bytes), managedMB = Mb(s.ManagedBytes), seconds = Math.Round(s.Seconds, 2) }).ToList(),
        };
        if (args.Switch("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(report));
            return Dkd.ExitOk;
        }
        foreach (var (k, v) in report)
        {
            if (k is "rssEveryRoundsMB" or "perAgentBytes" or "gcCollections") continue;
            output.WriteLine($"{k,-22} {(v is null ? "n/a" : Convert.ToString(v, CultureInfo.InvariantCulture))}");
        }
        output.WriteLine($"{"gc gen0/1/2",-22} {string.Join("/", timer.Collections)} in rounds 2-{lastTimed}");
        output.WriteLine($"{"per agent (KB)",-22} {footprint.Describe()}");
        output.WriteLine($"{"rss by round (MB)",-22} {string.Join("  ", trace.Samples.Select(s => $"{s.Round}:{MemorySummary.Mb(s.Bytes).Replace(" MB", "")}"))}");
        if (args.Switch("settle"))
            output.WriteLine($"{"managed by round (MB)",-22} {string.Join("  ", trace.Samples.Select(s => $"{s.Round}:{MemorySummary.Mb(s.ManagedBytes ?? 0).Replace(" MB", "")}"))}");
        return Dkd.ExitOk;
    }

    /// <summary>"lenet5 (61,706 parameters)", or each model with its agent count when experiment.model.per-agent gives several.</summary>
    private static string Models(HostProcess process) => process.Plan.Config.Model.PerAgent.Count == 0
        ? $"{process.Plan.Config.Model.Name} ({process.Plan.ParameterCount:N0} parameters)"
        : string.Join(" + ", process.Plan.ModelKinds.Select(k => $"{k.Label} × {k.Agents.Length} ({k.ParameterCount:N0} parameters)"));
}
