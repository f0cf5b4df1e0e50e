using System.Globalization;
using System.Text;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Hosting.Config;
using Spectre.Console;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// What <c>./run.sh</c> runs: D-PSGD and QGM on the embedded defaults (Fashion-MNIST, 16-agent ring, Dirichlet
/// α = 0.1, LeNet-5), then a side-by-side table, also written to <c>comparison.md</c> next to the two run directories.
/// </summary>
public sealed class DefaultRunCommand : ICommand
{
    public CommandSpec Spec { get; } = new("default-run",
        "what ./run.sh runs: D-PSGD and QGM on the embedded defaults, then a side-by-side table",
        options:
        [
            OptionSpec.Repeated("set", "key=value", "override one config key of both runs"),
            OptionSpec.Value("out", "DIR", "where the folder default-TIMESTAMP (both runs and comparison.md) is created",
                "experiment.output.dir"),
        ],
        details: "The embedded defaults: Fashion-MNIST, a 16-agent ring, Dirichlet α = 0.1, LeNet-5. Both runs are validated " +
                 "before either starts; the table is also written to comparison.md next to the two run folders.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        var sets = args.All("set");
        // Validate and set up both runs before running either, so a bad value fails in seconds rather than after the first run.
        var runs = new[] { (DpsgdDescriptor.AlgorithmName, "dpsgd-ring16-fmnist"), (QgmDescriptor.AlgorithmName, "qgm-ring16-fmnist") }
            .Select(a => ExperimentConfigLoader.Load(null, [$"algorithm.name={a.Item1}", $"name={a.Item2}", .. sets]))
            .Select(ExperimentRunner.Prepare)
            .ToList();
        string root = Path.Combine(args.String("out") ?? runs[0].Loaded.Config.OutputDir,
            "default-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var outcomes = runs.Select(r => ExperimentRunner.Execute(r, root)).ToList();

        var table = new Table().AddColumns("run", "final mean acc", "min / max", "averaged model", "consensus", "MB sent / agent", "wall s");
        var md = new StringBuilder("| run | final mean acc | min / max | averaged model | consensus distance | MB sent per agent | wall s |\n|---|---|---|---|---|---|---|\n");
        foreach (var o in outcomes)
        {
            var last = o.Result.Metrics.Count > 0 ? o.Result.Metrics[^1] : null;
            string[] cells =
            [
                o.Config.Algorithm.Name,
                last is null ? "n/a" : RunSummary.Pct(last.MeanAcc),
                last is null ? "n/a" : $"{RunSummary.Pct(last.MinAcc)} / {RunSummary.Pct(last.MaxAcc)}",
                last is null ? "n/a" : RunSummary.Pct(last.AvgModelAcc),
                last is null ? "n/a" : last.ConsensusDistance.ToString("G3", CultureInfo.InvariantCulture),
                last is null ? "n/a" : (last.BytesSent / (double)o.Config.AgentCount / 1e6).ToString("F1", CultureInfo.InvariantCulture),
                o.WallSeconds.ToString("F1", CultureInfo.InvariantCulture),
            ];
            table.AddRow(cells.Select(Markup.Escape).ToArray());
            md.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");
        }
        File.WriteAllText(Path.Combine(root, "comparison.md"), md.ToString());
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 140; // a pipe or file: do not wrap at 80 columns
        AnsiConsole.Write(table);
        output.WriteLine($"results: {Path.GetFullPath(root)}");
        return outcomes.All(o => o.Result.Error is null) ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }
}
