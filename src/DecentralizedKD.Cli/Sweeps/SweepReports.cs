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
        int failed = statuses.Count(s => !s.Ok);
        if (failed > 0) Log.Error("sweep {Name}: {Failed} of {Runs} runs failed (see summary.md)", plan.Definition.Name, failed, plan.Runs.Count);
        return failed;
    }
}
