using System.Globalization;
using System.Text;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd compare DIR... [--target A] [--out DIR]</c>: one table over finished runs (final/best accuracies,
/// time-to-accuracy, traffic) printed as Markdown and written with overlay plots to compare.md in the output folder.
/// Every run directory is read and checked before anything is written.
/// </summary>
public sealed class CompareCommand : ICommand
{
    public const double DefaultTarget = 0.7;

    public CommandSpec Spec { get; } = new("compare",
        "one table and overlay plots over finished runs or a sweep's cells",
        arguments:
        [
            new("RUN_DIR", "a run's results folder; a folder of runs (what dkd default-run writes) stands for all of them, a sweep " +
                "folder for its cells (each the mean over its seeds)", Repeatable: true),
        ],
        options:
        [
            OptionSpec.Value("target", "ACC", "mean agent accuracy in (0, 1] for the time-to-accuracy columns", DefaultTarget),
            OptionSpec.Value("out", "DIR", "folder for compare.md, compare.csv and the overlay plots", "./compare-TIMESTAMP"),
        ],
        details: "Prints the table as Markdown: final and best accuracies, the first round and virtual time at which the mean " +
                 "agent accuracy reached the target, bytes sent. Every folder is read and checked before anything is written.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        if (args.Positionals.Count == 0) throw new InputException("dkd compare: missing argument RUN_DIR (one or more results directories)");
        double target = args.Double("target", DefaultTarget);
        if (target is <= 0 or > 1) throw new InputException($"dkd compare: --target expects an accuracy in (0, 1], got {target.ToString(CultureInfo.InvariantCulture)}");
        var runs = RunRecord.ReadAll(args.Positionals).ToList();
        var rows = Comparison.Rows(runs, target);
        var labels = rows.Select(r => r.Run).ToList();

        string outDir = args.String("out")
            ?? Path.Combine(Directory.GetCurrentDirectory(), "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        try { Directory.CreateDirectory(outDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"dkd compare: --out '{outDir}': cannot create the directory ({e.Message})");
        }
        ComparePlots.Accuracy(runs, labels, target, Path.Combine(outDir, ComparePlots.AccuracyVsRound), virtualTime: false);
        ComparePlots.Accuracy(runs, labels, target, Path.Combine(outDir, ComparePlots.AccuracyVsTime), virtualTime: true);
        ComparePlots.Consensus(runs, labels, Path.Combine(outDir, ComparePlots.ConsensusVsRound));
        string table = Comparison.MarkdownTable(rows, target);
        File.WriteAllText(Path.Combine(outDir, "compare.md"), Markdown(runs, rows, table, target));
        File.WriteAllText(Path.Combine(outDir, "compare.csv"), Comparison.Csv(rows));

        output.Write(table);
        output.WriteLine($"results: {Path.GetFullPath(outDir)}");
        return Dkd.ExitOk;
    }

    private static string Markdown(IReadOnlyList<RunRecord> runs, IReadOnlyList<ComparisonRow> rows, string table, double target)
    {
        var sb = new StringBuilder("# Comparison\n\n");
        sb.Append(table).Append('\n');
        sb.Append("Accuracies are on the test set at the evaluated rounds; time-to-accuracy is the first evaluation at which the mean agent ")
          .Append($"accuracy reached {(100 * target).ToString("0.##", CultureInfo.InvariantCulture)}% (\"never\" if none did). ")
          .Append("Averaged model = the average of all agents' parameters. Bytes are sent by all agents together (1 MB = 10⁶ bytes).\n\n");
        sb.Append("Runs:\n\n");
        for (int k = 0; k < runs.Count; k++) sb.Append($"- {rows[k].Run}: `{runs[k].Directory}`\n");
        sb.Append('\n');
        sb.Append($"![accuracy vs round]({ComparePlots.AccuracyVsRound})\n\n");
        sb.Append($"![accuracy vs virtual time]({ComparePlots.AccuracyVsTime})\n\n");
        sb.Append($"![consensus distance vs round]({ComparePlots.ConsensusVsRound})\n");
        return sb.ToString();
    }
}
