using System.Diagnostics;
using System.Globalization;
using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Cli.Sweeps;
using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Sweeps;
using Serilog;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd sweep SWEEP [--set k=v]... [--parallel P] [--out DIR] [--dry-run]</c> and <c>dkd sweep --resume DIR</c>:
/// every cell × seed of a sweep file, each run exactly as <c>dkd run</c> would, then sweep.csv, cells.csv, summary.md
/// and plots with confidence intervals. Every run is validated before the first one starts. <c>dkd sweep --report DIR</c>
/// rebuilds a finished sweep's tables from its sweep.csv alone, running nothing.
/// </summary>
public sealed class SweepCommand : ICommand
{
    public const string ResolvedFile = "sweep.conf";

    public CommandSpec Spec { get; } = new("sweep",
        "every cell × seed of a sweep file, then tables and plots with confidence intervals",
        arguments: [new("SWEEP", "the sweep file (HOCON): a base experiment, named cells, a grid of keys and the seeds")],
        options:
        [
            OptionSpec.Repeated("set", "key=value", "override one key of every run"),
            OptionSpec.Value("parallel", "P", "runs at a time", "cores ÷ the runs' compute threads"),
            OptionSpec.Value("out", "DIR", "the sweep folder; an existing one must hold the same sweep (baseline and comparisons may differ), whose finished runs are kept",
                "results/NAME-TIMESTAMP"),
            OptionSpec.Repeated("only", "CELL", "run only this cell (e.g. to rerun one published run); the tables then hold no paired comparisons"),
            OptionSpec.Value("seeds", "S,S,...", "run only these of the sweep's seeds"),
            OptionSpec.Switch("dry-run", "list the cells × seeds and validate every run; write nothing"),
            OptionSpec.Value("resume", "DIR", "continue the sweep in DIR as its sweep.conf says (takes no --set, --out or --dry-run)",
                required: true),
            OptionSpec.Value("report", "DIR", "rebuild cells.csv, comparisons.csv and summary.md of the finished sweep in DIR from its sweep.conf and sweep.csv, running nothing (the run folders may be gone)",
                required: true),
        ],
        forms: ["SWEEP --set --only --seeds --parallel --out --dry-run", "--resume --parallel", "--report"],
        details: "Each run is what dkd run would do with the cell's keys and the seed; every run is validated before the first one " +
                 "starts. The sweep folder gets sweep.conf (the resolved sweep), one folder per run, sweep.csv, cells.csv, " +
                 "comparisons.csv (with sweep.comparisons), summary.md and plots; prints `results: DIR` last. Exit code 1 if any run failed. docs/sweeps.md has the file format.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        var wall = Stopwatch.StartNew();
        if (args.String("report") is { } report) return Report(args, report, output);
        string? resume = args.String("resume");
        SweepDefinition definition;
        string? dir;
        if (resume is not null)
        {
            args.AtMostPositionals(0);
            if (args.Has("set") || args.Has("out") || args.Has("dry-run") || args.Has("only") || args.Has("seeds"))
                throw new InputException("dkd sweep --resume DIR continues DIR/sweep.conf as it is; drop --set, --only, --seeds, --out and --dry-run");
            dir = Path.GetFullPath(resume);
            string resolved = Path.Combine(dir, ResolvedFile);
            if (!File.Exists(resolved)) throw new InputException($"dkd sweep --resume: '{resume}' is not a sweep folder ({ResolvedFile} not found)");
            definition = SweepDefinition.Load(resolved);
        }
        else
        {
            args.AtMostPositionals(1);
            definition = SweepDefinition.Load(args.Positional(0, "SWEEP"), args.All("set"));
            dir = args.String("out") is { } o ? Path.GetFullPath(o) : null;
        }
        var only = args.All("only");
        if (args.String("seeds") is { } seedList) definition = OnlySeeds(definition, seedList);
        // Part of a sweep: the paired comparisons would miss their other halves, so the tables have none.
        if (only.Count > 0 || args.Has("seeds")) definition = definition with { Baseline = null, Comparisons = [] };
        var plan = SweepPlan.Build(definition, only);
        int parallel = args.Int("parallel", DefaultParallel(plan), 1, 1024);
        // Every run is built and checked (data, partition, topology, model, agent 0) before anything is written.
        var prepared = plan.Runs.Select(r => Prepare(definition, r)).ToArray();
        if (args.Switch("dry-run"))
        {
            output.Write(plan.Describe());
            output.WriteLine($"all {plan.Runs.Count} runs validated; would run {parallel} at a time");
            return Dkd.ExitOk;
        }
        dir ??= NewSweepDirectory(definition);
        OpenSweepDirectory(dir, definition);
        Log.Information("sweep {Name}: {Runs} runs ({Cells} cells × {Seeds} seeds), {Parallel} at a time → {Dir}",
            definition.Name, plan.Runs.Count, plan.Cells.Count, definition.Seeds.Count, parallel, dir);
        var statuses = SweepRunner.Run(plan, dir, prepared, parallel, (s, done, total, eta) =>
        {
            var last = s.Ok ? Core.Metrics.MetricsCsv.Read(Path.Combine(dir, s.Run.Folder, "metrics.csv")).LastOrDefault() : null;
            // An empty averaged-model cell (agents with different models) reads back as NaN.
            if (last is not null && double.IsNaN(last.AvgModelAcc))
                Log.Information("[{Done}/{Total}] {Cell} seed {Seed}: mean acc {Mean:P2}, averaged model n/a, sweep ETA {Eta}",
                    done, total, s.Run.Cell.Name, s.Run.Seed, last.MeanAcc, eta);
            else if (last is not null)
                Log.Information("[{Done}/{Total}] {Cell} seed {Seed}: mean acc {Mean:P2}, averaged model {Avg:P2}, sweep ETA {Eta}",
                    done, total, s.Run.Cell.Name, s.Run.Seed, last.MeanAcc, last.AvgModelAcc, eta);
            else Log.Warning("[{Done}/{Total}] {Cell} seed {Seed} failed: {Error}", done, total, s.Run.Cell.Name, s.Run.Seed, s.Error);
        });
        int failed = SweepReports.Write(plan, dir, statuses, wall.Elapsed.TotalSeconds);
        output.WriteLine($"results: {dir}");
        return failed == 0 ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }

    /// <summary>
    /// dkd sweep --report DIR: the tables of the finished sweep in DIR from DIR/sweep.conf and DIR/sweep.csv, nothing
    /// run and nothing validated beyond reading the sweep (its data need not be here). sweep.csv and the plots stay.
    /// </summary>
    private static int Report(ParsedArgs args, string report, TextWriter output)
    {
        args.AtMostPositionals(0);
        if (args.Has("set") || args.Has("out") || args.Has("dry-run") || args.Has("only") || args.Has("seeds") || args.Has("resume") || args.Has("parallel"))
            throw new InputException("dkd sweep --report DIR rebuilds the tables of DIR as its sweep.conf and sweep.csv say; it takes no other option");
        string dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(report));
        string resolved = Path.Combine(dir, ResolvedFile);
        if (!File.Exists(resolved)) throw new InputException($"dkd sweep --report: '{report}' is not a sweep folder ({ResolvedFile} not found)");
        var plan = SweepPlan.Build(SweepDefinition.Load(resolved));
        int failed = SweepReports.Rebuild(plan, dir);
        output.WriteLine($"results: {dir}");
        return failed == 0 ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }

    /// <summary>The sweep restricted to <paramref name="list"/> (comma-separated), each of which must be one of its seeds.</summary>
    private static SweepDefinition OnlySeeds(SweepDefinition d, string list)
    {
        var seeds = new List<ulong>();
        foreach (string item in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!ulong.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong seed))
                throw new InputException($"--seeds '{list}': expected comma-separated seeds of the sweep, e.g. 0,2");
            if (!d.Seeds.Contains(seed))
                throw new InputException($"--seeds: seed {seed} is not one of {d.File}'s seeds [{string.Join(", ", d.Seeds)}]");
            if (!seeds.Contains(seed)) seeds.Add(seed);
        }
        return d with { Seeds = seeds };
    }

    public static ExperimentRunner.PreparedRun Prepare(SweepDefinition d, SweepRun run)
    {
        try { return ExperimentRunner.Prepare(run.Loaded); }
        catch (InputException e) { throw new InputException($"{d.File}: cell '{run.Cell.Name}', seed {run.Seed}: {e.Message}"); }
    }

    /// <summary>As many runs at once as the cores allow given each run's compute threads (one, unless the sweep sets more).</summary>
    public static int DefaultParallel(SweepPlan plan)
    {
        int threads = Math.Max(1, plan.Runs.Max(r => r.Loaded.Config.Threads));
        return Math.Max(1, Environment.ProcessorCount / threads);
    }

    /// <summary>Whether the sweep stored in <paramref name="resolved"/> runs exactly the runs of <paramref name="d"/>.</summary>
    private static bool SameRuns(string resolved, SweepDefinition d)
    {
        SweepDefinition stored;
        try { stored = SweepDefinition.Load(resolved); }
        catch (InputException) { return false; }   // unreadable here (e.g. its base file is gone): not provably the same
        return stored.WithoutTables().Render() == d.WithoutTables().Render();
    }

    public static string NewSweepDirectory(SweepDefinition d)
    {
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string root = Path.GetFullPath("results");
        string dir = Path.Combine(root, $"{d.Name}-{stamp}");
        for (int k = 2; Directory.Exists(dir); k++) dir = Path.Combine(root, $"{d.Name}-{stamp}-{k}");
        return dir;
    }

    /// <summary>
    /// A new folder gets sweep.conf; an existing one must hold this very sweep (then finished runs are kept). A sweep
    /// that differs only in its baseline or comparisons runs the same runs: its sweep.conf is rewritten, and the tables,
    /// computed from the run folders, follow the new one.
    /// </summary>
    public static void OpenSweepDirectory(string dir, SweepDefinition d)
    {
        string resolved = Path.Combine(dir, ResolvedFile);
        string text = d.Render();
        if (File.Exists(resolved))
        {
            if (File.ReadAllText(resolved) == text) return;
            if (!SameRuns(resolved, d))
                throw new InputException($"sweep folder '{dir}' holds another sweep ({ResolvedFile} differs); use a new --out folder or dkd sweep --resume {dir}");
            File.WriteAllText(resolved, text);
            Log.Information("sweep folder {Dir}: same runs, new baseline or comparisons; {File} rewritten, finished runs kept", dir, ResolvedFile);
            return;
        }
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(resolved, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"sweep folder '{dir}' (--out): cannot create it: {e.Message}");
        }
    }
}
