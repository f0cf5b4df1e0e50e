using System.Diagnostics;
using System.Globalization;
using System.Text;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Cluster.Config;
using DecentralizedKD.Cluster.Hosting;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using Serilog;
using Spectre.Console;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Runs one experiment end to end: validates and builds everything first (input errors surface before any results
/// directory exists), then runs the actors and writes config.conf, metrics.csv, agents.csv, plots and summary.md.
/// </summary>
public static class ExperimentRunner
{
    public static RunOutcome Execute(LoadedExperiment loaded, string? outRoot)
    {
        var config = loaded.Config;
        var wall = Stopwatch.StartNew();
        var setup = ExperimentSetup.Build(config);
        string dir = CreateRunDirectory(outRoot ?? config.OutputDir, config.Name);
        File.WriteAllText(Path.Combine(dir, "config.conf"), loaded.ResolvedText);
        Log.Information("{Name}: {Agents} agents, {Algorithm}, {Model} ({Params:N0} parameters), {Rounds} rounds → {Dir}",
            config.Name, config.Agents, config.Algorithm.Name, config.Model.Name, setup.ParameterCount, config.Rounds, dir);

        Actors.RunResult result;
        using (var csv = new MetricsCsv(Path.Combine(dir, "metrics.csv")))
        using (var events = config.Mode != "sync" ? new EventsJsonl(Path.Combine(dir, "events.jsonl")) : null)
        {
            var progress = new RunProgress(csv, config.Rounds, config.Name);
            result = Interactive() ? RunWithProgressBar(setup, progress, config.Name, events) : LocalRun.Run(setup, progress, events);
        }
        wall.Stop();

        var finalMetrics = result.Error is null ? FinalAgentMetrics.Evaluate(setup, result.FinalAgentParameters) : [];
        WriteAgents(Path.Combine(dir, "agents.csv"), setup, result, finalMetrics);
        string plots = Directory.CreateDirectory(Path.Combine(dir, "plots")).FullName;
        Plots.Accuracy(result.Metrics, Path.Combine(plots, "accuracy.png"), $"{config.Name}: test accuracy");
        Plots.Consensus(result.Metrics, Path.Combine(plots, "consensus.png"), $"{config.Name}: consensus distance");
        if (config.Mode != "sync") Plots.AccuracyVsTime(result.Metrics, Path.Combine(plots, "accuracy_vs_time.png"), $"{config.Name}: test accuracy vs virtual time");
        File.WriteAllText(Path.Combine(dir, "summary.md"),
            RunSummary.Render(config, result.Metrics, result.BytesByKind, setup.ParameterCount, wall.Elapsed.TotalSeconds, result.Error, finalMetrics)
            + (result.Async is null ? "" : AsyncSummary.Render(config, result.Metrics, result.Async)));
        if (result.Error is not null) Log.Error("{Name} failed: {Error}", config.Name, result.Error);
        return new RunOutcome(dir, config, result, wall.Elapsed.TotalSeconds, setup.ParameterCount);
    }

    private static bool Interactive() =>
        !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static Actors.RunResult RunWithProgressBar(ExperimentSetup setup, RunProgress progress, string name, IAsyncObserver? events)
    {
        Actors.RunResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(name, maxValue: setup.Config.Rounds);
                progress.OnTick = (round, row) =>
                {
                    task.Value = round;
                    if (row is not null) task.Description = $"{name} acc {SafePct(row.MeanAcc)}";
                };
                result = LocalRun.Run(setup, progress, events);
            });
        return result!;
    }

    private static string SafePct(double v) => Markup.Escape(RunSummary.Pct(v));

    private static string CreateRunDirectory(string root, string name)
    {
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string dir = Path.Combine(root, $"{name}-{stamp}");
        for (int k = 2; Directory.Exists(dir); k++) dir = Path.Combine(root, $"{name}-{stamp}-{k}");
        return Directory.CreateDirectory(dir).FullName;
    }

    private static void WriteAgents(string path, ExperimentSetup setup, Actors.RunResult result, FinalAgentMetrics[] final)
    {
        int auxiliary = Math.Max(0, setup.ModelSpec.Heads - 1);
        var sb = new StringBuilder("agent,samples,classes,final_acc,private_accuracy,bytes_sent");
        for (int k = 1; k <= auxiliary; k++) sb.Append(",aux").Append(k).Append("_acc");
        sb.Append('\n');
        var hist = setup.Partition.LabelHistograms;
        for (int i = 0; i < setup.Config.Agents; i++)
        {
            var f = i < final.Length ? final[i] : null;
            sb.Append(i).Append(',').Append(setup.Partition.AgentIndices[i].Length).Append(',')
              .Append(hist[i].Count(v => v > 0)).Append(',')
              .Append(Number(i < result.FinalAgentAccuracies.Count ? result.FinalAgentAccuracies[i] : double.NaN)).Append(',')
              .Append(Number(f?.PrivateAccuracy ?? double.NaN)).Append(',')
              .Append(result.BytesPerAgent[i].ToString(CultureInfo.InvariantCulture));
            for (int k = 0; k < auxiliary; k++) sb.Append(',').Append(Number(f is null ? double.NaN : f.AuxiliaryHeadAccuracies[k]));
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Round-trip number, or an empty cell when there is none.</summary>
    private static string Number(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
}
