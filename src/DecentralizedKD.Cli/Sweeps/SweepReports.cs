using System.Globalization;
using System.Text.RegularExpressions;
using DecentralizedKD.Hosting.Sweeps;
using Serilog;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>Everything a finished sweep writes next to runs/: sweep.csv, cells.csv, comparisons.csv (with comparisons), plots and summary.md.</summary>
public static class SweepReports
{
    public const string ComparisonsFile = "comparisons.csv";

    /// <summary>Writes the reports; returns the number of failed runs.</summary>
    public static int Write(SweepPlan plan, string dir, IReadOnlyList<SweepRunStatus> statuses, double wallSeconds)
    {
        var rows = SweepResults.Collect(dir, statuses);
        File.WriteAllText(Path.Combine(dir, "sweep.csv"), SweepResults.SweepCsv(plan, rows));
        File.WriteAllText(Path.Combine(dir, "cells.csv"), SweepResults.CellsCsv(plan, rows));
        string comparisons = Path.Combine(dir, ComparisonsFile);
        if (plan.Comparisons.Count > 0) File.WriteAllText(comparisons, SweepComparisons.Csv(plan, SweepComparisons.Compute(plan, rows)));
        else File.Delete(comparisons);   // a sweep whose comparisons were removed must not keep showing the old ones
        var plots = SweepPlots.Write(plan, rows, Path.Combine(dir, "plots"));
        File.WriteAllText(Path.Combine(dir, "summary.md"), SweepSummary.Render(plan, rows, wallSeconds, plots));
        return Failed(plan, rows);
    }

    /// <summary>
    /// The tables of a finished sweep rebuilt from its sweep.csv alone (dkd sweep --report): cells.csv, comparisons.csv and
    /// summary.md, for a sweep folder whose run folders are gone (a published result set) or whose baseline or
    /// comparisons changed. sweep.csv and the plots (which need every run's metrics.csv) are kept as they are; summary.md
    /// shows the plots that are there and keeps the wall time the summary it replaces recorded (the sweep's, not this
    /// rebuild's). Returns the number of failed runs.
    /// </summary>
    public static int Rebuild(SweepPlan plan, string dir)
    {
        var rows = SweepResults.ReadSweepCsv(plan, Path.Combine(dir, "sweep.csv"));
        File.WriteAllText(Path.Combine(dir, "cells.csv"), SweepResults.CellsCsv(plan, rows));
        string comparisons = Path.Combine(dir, ComparisonsFile);
        if (plan.Comparisons.Count > 0) File.WriteAllText(comparisons, SweepComparisons.Csv(plan, SweepComparisons.Compute(plan, rows)));
        else File.Delete(comparisons);
        string summary = Path.Combine(dir, "summary.md");
        var plots = SweepPlots.Files.Where(f => File.Exists(Path.Combine(dir, "plots", f))).ToArray();
        File.WriteAllText(summary, SweepSummary.Render(plan, rows, RecordedWallSeconds(summary), plots));
        return Failed(plan, rows);
    }

    /// <summary>The sweep's wall time as an existing summary.md states it; NaN (shown n/a) without one.</summary>
    private static double RecordedWallSeconds(string summary)
    {
        if (!File.Exists(summary)) return double.NaN;
        var m = Regex.Match(File.ReadAllText(summary), @"; wall time ([0-9]+(?:\.[0-9]+)?) s\n");
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    private static int Failed(SweepPlan plan, IReadOnlyList<SweepRow> rows)
    {
        int failed = rows.Count(s => !s.Ok);
        if (failed > 0) Log.Error("sweep {Name}: {Failed} of {Runs} runs failed (see summary.md)", plan.Definition.Name, failed, plan.Runs.Count);
        return failed;
    }
}
