using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Hosting.Config;
using Spectre.Console;

namespace DecentralizedKD.Cli.Commands;

/// <summary><c>dkd partition</c>: per-agent sample counts and label histograms of a split, as a table, JSON or heatmap PNG.</summary>
public sealed class PartitionCommand : ICommand
{
    private static readonly string DefaultDataset = DatasetRegistry.Registry.BuiltIn[0].Name;
    private const int DefaultAgents = 16;
    private static readonly string DefaultKind = new DirichletPartitioner().Name;
    private const double DefaultAlpha = 0.1;
    private const int DefaultSeed = 0;
    private const int DefaultMinSamples = 10;
    private const int DefaultShardsPerAgent = 2;
    private const double DefaultPublicFraction = 0.0;

    public CommandSpec Spec { get; } = new("partition",
        "per-agent sample counts and label histograms of a data split, as a table, JSON or heatmap PNG",
        options:
        [
            OptionSpec.Value("dataset", "NAME", "one of " + string.Join(", ", DatasetRegistry.Registry.Names), DefaultDataset),
            OptionSpec.Value("path", "DIR", "the dataset's folder",
                string.Join(", ", DatasetRegistry.Registry.All.Where(d => d.DefaultPath.Length > 0).Select(d => $"{d.DefaultPath} for {d.Name}"))),
            OptionSpec.Value("agents", "N", "number of agents", DefaultAgents),
            OptionSpec.Value("kind", "KIND", "one of " + string.Join(", ", PartitionerRegistry.Registry.Names), DefaultKind),
            OptionSpec.Value("alpha", "A", "Dirichlet concentration of dirichlet and dirichlet-grouped (smaller: more skewed)", DefaultAlpha),
            OptionSpec.Value("seed", "S", "seed of the data and the split", DefaultSeed),
            OptionSpec.Value("min-samples", "M", "dirichlet redraws until every agent has at least M samples", DefaultMinSamples),
            OptionSpec.Value("shards-per-agent", "K", "label shards per agent (shards)", DefaultShardsPerAgent),
            OptionSpec.Value("public-fraction", "F", "fraction of the training set carved out first as a public pool", DefaultPublicFraction),
            OptionSpec.Switch("json", "print the split as JSON (per agent: id, count, label histogram) instead of the table"),
            OptionSpec.Value("plot", "FILE.png", "also write an agents × classes heatmap PNG"),
        ]);

    public int Run(ParsedArgs args, TextWriter output)
    {
        string dataset = args.String("dataset") ?? DefaultDataset;
        var source = DatasetRegistry.Registry.Find(dataset)
            ?? throw new InputException($"dkd partition: --dataset '{dataset}' is not one of {DatasetRegistry.Registry.Choices}");
        ulong seed = (ulong)args.Int("seed", DefaultSeed, 0);
        // The dataset's own settings (the synthetic generator's) at their config defaults.
        var defaults = ExperimentConfigLoader.Load(null, [$"dataset.name={dataset}"]).Config.Dataset;
        var data = DatasetLoader.Load(defaults with { Path = args.String("path") ?? source.DefaultPath, PublicFraction = 0, Normalize = true, TestSamples = 0 }, seed);
        var kind = PartitionerRegistry.Registry.Find(args.String("kind") ?? DefaultKind)
            ?? throw new InputException($"dkd partition: --kind '{args.String("kind")}' is not one of {PartitionerRegistry.Registry.Choices}");
        var spec = new PartitionSpec(kind, args.Int("agents", DefaultAgents, 1), args.Double("alpha", DefaultAlpha),
            args.Int("min-samples", DefaultMinSamples, 0), args.Int("shards-per-agent", DefaultShardsPerAgent, 1), args.Double("public-fraction", DefaultPublicFraction));
        var p = Partitioner.Split(data.Train.Labels, data.Train.NumClasses, spec, seed);

        if (args.String("plot") is string plot)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(plot));
            if (dir is not null) Directory.CreateDirectory(dir);
            Plots.LabelHeatmap(p.LabelHistograms, plot, $"{dataset}: {spec.Kind.Name} (α = {spec.Alpha}) over {spec.Agents} agents");
        }
        if (args.Switch("json"))
        {
            var json = new
            {
                dataset,
                kind = spec.Kind.Name,
                alpha = spec.Alpha,
                seed,
                publicCount = p.PublicIndices.Length,
                agents = p.AgentIndices.Select((a, i) => new { id = i, count = a.Length, labels = p.LabelHistograms[i] }),
            };
            output.WriteLine(JsonSerializer.Serialize(json));
            return Dkd.ExitOk;
        }
        var table = new Table().AddColumn("agent").AddColumn("samples").AddColumn("classes");
        for (int c = 0; c < data.Train.NumClasses && data.Train.NumClasses <= 20; c++) table.AddColumn(c.ToString());
        for (int i = 0; i < p.Agents; i++)
        {
            var cells = new List<string> { i.ToString(), p.AgentIndices[i].Length.ToString(), p.LabelHistograms[i].Count(v => v > 0).ToString() };
            if (data.Train.NumClasses <= 20) cells.AddRange(p.LabelHistograms[i].Select(v => v.ToString()));
            table.AddRow(cells.ToArray());
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = 240; // output may be a pipe: do not wrap the histogram table at 80 columns
        console.Write(table);
        output.WriteLine($"public pool: {p.PublicIndices.Length} samples; mean classes per agent: {p.LabelHistograms.Average(h => h.Count(v => v > 0)):F2}");
        return Dkd.ExitOk;
    }
}
