using System.Globalization;
using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Topology.Kinds;
using DecentralizedKD.Core.Topology.Schedules;

namespace DecentralizedKD.Cli.Commands;

/// <summary><c>dkd topology KIND --agents N</c>: degree statistics, checks and spectral gap of a topology.</summary>
public sealed class TopologyCommand : ICommand
{
    private const int DefaultAgents = 16;
    private const string DefaultMixing = "uniform";
    private const double DefaultGamma = 1.0;
    private const int DefaultSeed = 0;
    private const double DefaultProbability = 0.2;
    private const int DefaultDegree = 4;
    private const int DefaultRounds = 100;
    private const int DefaultPeers = 1;

    public CommandSpec Spec { get; } = new("topology",
        "degrees, connectivity, symmetry, double stochasticity and spectral gap of a topology or a time-varying schedule",
        arguments: [new("KIND", "one of " + string.Join(", ", TopologyKindRegistry.Registry.Names))],
        options:
        [
            OptionSpec.Value("agents", "N", "number of agents", $"{DefaultAgents}; 32 for social32 and dyck32; for file, the file's node count"),
            OptionSpec.Value("mixing", "uniform|mh", "mixing weights: uniform 1/(deg+1) or mh (Metropolis–Hastings)", DefaultMixing),
            OptionSpec.Value("gamma", "G", "averaging rate γ: W_γ = (1−γ)I + γW", DefaultGamma),
            OptionSpec.Value("seed", "S", "seed of the random kinds (erdos-renyi, regular)", DefaultSeed),
            OptionSpec.Value("probability", "P", "edge probability of erdos-renyi", DefaultProbability),
            OptionSpec.Value("degree", "D", "degree of regular", DefaultDegree),
            OptionSpec.Value("file", "F", "edge list for KIND file: `u v` per line, # comments, optional `# nodes: N`"),
            OptionSpec.Value("schedule", "S", "time-varying schedule: " + string.Join(", ", ScheduleRegistry.Registry.Names), ScheduleRegistry.Registry.BuiltIn[0].Name),
            OptionSpec.Value("rounds", "R", "rounds a schedule is summarised over", $"{DefaultRounds}; one period for one-peer-exponential and sequence"),
            OptionSpec.Value("peers", "P", "random-push: agents each agent sends to per round", DefaultPeers),
            OptionSpec.Value("sequence-file", "F", "sequence: a file listing edge-list files, used round-robin"),
            OptionSpec.Switch("json", "print the summary as one JSON object"),
        ]);

    public int Run(ParsedArgs args, TextWriter output)
    {
        string kindName = args.Positional(0, "KIND (" + TopologyKindRegistry.Registry.Choices + ")");
        var kind = TopologyKindRegistry.Registry.Find(kindName)
            ?? throw new InputException($"topology '{kindName}': unknown kind, expected one of {TopologyKindRegistry.Registry.Choices}");
        string? file = args.String("file");
        int agents = kind is EdgeListTopology && !args.Has("agents") && file is not null
            ? EdgeListFile.Read(file).Nodes
            : args.Int("agents", kind.FixedNodes ?? DefaultAgents, 1, ExperimentLimits.MaxAgents);
        var options = new TopologyOptions
        {
            Seed = (ulong)args.Int("seed", DefaultSeed, 0),
            Probability = args.Double("probability", DefaultProbability),
            Degree = args.Int("degree", DefaultDegree, 1),
            File = file ?? "",
        };
        string scheduleName = args.String("schedule") ?? ScheduleRegistry.Registry.BuiltIn[0].Name;
        var schedule = ScheduleRegistry.Registry.Find(scheduleName)
            ?? throw new InputException($"--schedule '{scheduleName}': unknown schedule, expected one of {ScheduleRegistry.Registry.Choices}");
        if (!schedule.IsStatic) return RunSchedule(args, output, kind, agents, options, schedule);
        var graph = TopologyFactory.Create(kind, agents, options);
        var mixing = MixingMatrix.Build(graph, MixingKinds.Table.Parse(args.String("mixing") ?? DefaultMixing, "--mixing"), args.Double("gamma", DefaultGamma));
        var s = TopologyChecks.Summarize(graph, mixing);
        if (args.Switch("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(s, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return Dkd.ExitOk;
        }
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"topology          {kind} ({args.String("mixing") ?? DefaultMixing} weights, γ = {args.Double("gamma", DefaultGamma).ToString(inv)})");
        output.WriteLine($"agents            {s.Agents}");
        output.WriteLine($"edges             {s.Edges}");
        output.WriteLine($"degree            min {s.MinDegree}, max {s.MaxDegree}");
        output.WriteLine($"connected         {s.Connected}");
        output.WriteLine($"symmetric         {s.Symmetric}");
        output.WriteLine($"doubly stochastic {s.DoublyStochastic}");
        output.WriteLine($"spectral gap      {(s.SpectralGap is double gap ? gap.ToString("G6", inv) : $"n/a (over {TopologyChecks.MaxSpectralAgents} agents)")}");
        return Dkd.ExitOk;
    }

    /// <summary>A time-varying schedule (KIND is only used by <c>static</c>): per-round degrees and mixing over R rounds.</summary>
    private static int RunSchedule(ParsedArgs args, TextWriter output, TopologyKindDescriptor kind, int agents, TopologyOptions options, ScheduleDescriptor descriptor)
    {
        var mixingKind = MixingKinds.Table.Parse(args.String("mixing") ?? DefaultMixing, "--mixing");
        double gamma = args.Double("gamma", DefaultGamma);
        string name = descriptor.Name;
        var schedule = descriptor.Create(new ScheduleContext(agents, () =>
            {
                var g = TopologyFactory.Create(kind, agents, options);
                return (g, MixingMatrix.Build(g, mixingKind, gamma));
            }, mixingKind, gamma, options.Degree, args.Int("peers", DefaultPeers, 1), args.String("sequence-file") ?? "", options.Seed));
        int rounds = args.Has("rounds") ? args.Int("rounds", DefaultRounds, 1, 1_000_000) : schedule.Period > 1 ? schedule.Period : DefaultRounds;
        var s = ScheduleSummary.Of(name, schedule, rounds);
        if (args.Switch("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(s, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return Dkd.ExitOk;
        }
        var inv = CultureInfo.InvariantCulture;
        string Gap(double? g) => g is double v ? v.ToString("G6", inv) : $"n/a (over {ScheduleSummary.MaxSpectralAgents} agents)";
        output.WriteLine($"schedule          {name} ({args.String("mixing") ?? DefaultMixing} weights, γ = {gamma.ToString(inv)}), {rounds} rounds" +
                         (s.Period > 1 ? $", period {s.Period}" : ""));
        output.WriteLine($"agents            {s.Agents}");
        output.WriteLine($"in-degree         min {s.MinInDegree}, mean {s.MeanInDegree.ToString("G4", inv)}, max {s.MaxInDegree}");
        output.WriteLine($"out-degree        min {s.MinOutDegree}, mean {s.MeanOutDegree.ToString("G4", inv)}, max {s.MaxOutDegree}");
        output.WriteLine($"messages / round  {s.MessagesPerRound.ToString("G6", inv)}");
        output.WriteLine($"doubly stochastic {s.DoublyStochasticRounds} of {rounds} rounds");
        string basis = s.ExpectedMixingExact
            ? schedule is IExchangeableSchedule ? "exact: the closed form of the schedule's random graphs" : $"exact: the mean over one period of {s.Period} round(s)"
            : $"estimate: the mean of W over {s.ExpectedMixingEstimateRounds} rounds";
        output.WriteLine($"spectral gap      {Gap(s.ExpectedMixingSpectralGap)} (of E[W], {basis})");
        if (s.Period > 1) output.WriteLine($"period product    {Gap(s.PeriodProductSpectralGap)} (spectral gap of W_(p−1)⋯W_0)");
        return Dkd.ExitOk;
    }
}
