using System.Text.Json;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using Spectre.Console;

namespace DecentralizedKD.Cli.Commands;

/// <summary><c>dkd partition</c>: per-agent sample counts and label histograms of a split, as a table, JSON or heatmap PNG.</summary>
public sealed class PartitionCommand : ICommand
{
    public string Name => "partition";
    public string Usage => "partition --dataset fashion-mnist|mnist|synthetic|cifar10|cifar100 --agents N --kind iid|dirichlet|dirichlet-grouped|shards [--alpha A] [--seed S] [--min-samples M] [--shards-per-agent K] [--public-fraction F] [--path DIR] [--json] [--plot FILE.png]";

    public IReadOnlyDictionary<string, OptionKind> Options { get; } = new Dictionary<string, OptionKind>
    {
        ["dataset"] = OptionKind.Value,
        ["path"] = OptionKind.Value,
        ["agents"] = OptionKind.Value,
        ["kind"] = OptionKind.Value,
        ["alpha"] = OptionKind.Value,
        ["seed"] = OptionKind.Value,
        ["min-samples"] = OptionKind.Value,
        ["shards-per-agent"] = OptionKind.Value,
        ["public-fraction"] = OptionKind.Value,
        ["json"] = OptionKind.Switch,
        ["plot"] = OptionKind.Value,
    };

    private static readonly Dictionary<string, string> DefaultPaths = new()
    {
        ["fashion-mnist"] = "/usr/share/datasets/fashion-mnist",
        ["mnist"] = "/usr/share/datasets/mnist",
        ["cifar10"] = "data/cifar-10-batches-bin",
        ["cifar100"] = "data/cifar-100-binary",
        ["synthetic"] = "",
    };

    public int Run(ParsedArgs args, TextWriter output)
    {
        args.AtMostPositionals(0);
        string dataset = args.String("dataset") ?? "fashion-mnist";
        if (!DefaultPaths.TryGetValue(dataset, out string? defaultPath))
            throw new InputException($"dkd partition: --dataset '{dataset}' is not one of {string.Join(" | ", DefaultPaths.Keys)}");
        ulong seed = (ulong)args.Int("seed", 0, 0);
        var data = DatasetLoader.Load(new DatasetConfig(dataset, args.String("path") ?? defaultPath, 0, true, 0, 6000, 1000, 10, [1, 28, 28], 2.0), seed);
        var spec = new PartitionSpec(PartitionKinds.Table.Parse(args.String("kind") ?? "dirichlet", "partition.kind"), args.Int("agents", 16, 1), args.Double("alpha", 0.1),
            args.Int("min-samples", 10, 0), args.Int("shards-per-agent", 2, 1), args.Double("public-fraction", 0.0));
        var p = Partitioner.Split(data.Train.Labels, data.Train.NumClasses, spec, seed);

        if (args.String("plot") is string plot)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(plot));
            if (dir is not null) Directory.CreateDirectory(dir);
            Plots.LabelHeatmap(p.LabelHistograms, plot, $"{dataset}: {spec.Kind} (α = {spec.Alpha}) over {spec.Agents} agents");
        }
        if (args.Switch("json"))
        {
            var json = new
            {
                dataset,
                kind = spec.Kind,
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
