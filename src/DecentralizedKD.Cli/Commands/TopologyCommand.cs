using System.Globalization;
using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Core.Topology;

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

    public CommandSpec Spec { get; } = new("topology",
        "degrees, connectivity, symmetry, double stochasticity and spectral gap of a topology",
        arguments: [new("KIND", "one of " + string.Join(", ", TopologyFactory.Kinds))],
        options:
        [
            OptionSpec.Value("agents", "N", "number of agents", $"{DefaultAgents}; 32 for social32 and dyck32; for file, the file's node count"),
            OptionSpec.Value("mixing", "uniform|mh", "mixing weights: uniform 1/(deg+1) or mh (Metropolis–Hastings)", DefaultMixing),
            OptionSpec.Value("gamma", "G", "averaging rate γ: W_γ = (1−γ)I + γW", DefaultGamma),
            OptionSpec.Value("seed", "S", "seed of the random kinds (erdos-renyi, regular)", DefaultSeed),
            OptionSpec.Value("probability", "P", "edge probability of erdos-renyi", DefaultProbability),
            OptionSpec.Value("degree", "D", "degree of regular", DefaultDegree),
            OptionSpec.Value("file", "F", "edge list for KIND file: `u v` per line, # comments, optional `# nodes: N`"),
            OptionSpec.Switch("json", "print the summary as one JSON object"),
        ]);

    public int Run(ParsedArgs args, TextWriter output)
    {
        string kind = args.Positional(0, "KIND (" + string.Join(" | ", TopologyFactory.Kinds) + ")");
        string? file = args.String("file");
        int agents = kind == "file" && !args.Has("agents") && file is not null
            ? EdgeListFile.Read(file).Nodes
            : args.Int("agents", kind is "social32" or "dyck32" ? 32 : DefaultAgents, 1, 100_000);
        var options = new TopologyOptions
        {
            Seed = (ulong)args.Int("seed", DefaultSeed, 0),
            Probability = args.Double("probability", DefaultProbability),
            Degree = args.Int("degree", DefaultDegree, 1),
            File = file ?? "",
        };
        var graph = TopologyFactory.Create(kind, agents, options);
        var mixing = MixingMatrix.Build(graph, MixingMatrix.ParseKind(args.String("mixing") ?? DefaultMixing), args.Double("gamma", DefaultGamma));
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
        output.WriteLine($"spectral gap      {s.SpectralGap.ToString("G6", inv)}");
        return Dkd.ExitOk;
    }
}
