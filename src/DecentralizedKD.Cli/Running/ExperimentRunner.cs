using System.Diagnostics;
using System.Globalization;
using System.Text;
using DecentralizedKD.Actors;
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
    /// <summary>How the actors run: the single-process <see cref="LocalRun"/> by default, or a cluster coordinator.</summary>
    public delegate Actors.RunResult Engine(ExperimentSetup setup, IRunObserver observer, IAsyncObserver? events);

    public static RunOutcome Execute(LoadedExperiment loaded, string? outRoot, Engine? engine = null)
    {
        engine ??= (setup, observer, events) => LocalRun.Run(setup, observer, events);
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
            result = Interactive() ? RunWithProgressBar(setup, progress, config.Name, events, engine) : engine(setup, progress, events);
        }
        wall.Stop();

        WriteAgents(Path.Combine(dir, "agents.csv"), setup, result);
        string plots = Directory.CreateDirectory(Path.Combine(dir, "plots")).FullName;
        Plots.Accuracy(result.Metrics, Path.Combine(plots, "accuracy.png"), $"{config.Name}: test accuracy");
        Plots.Consensus(result.Metrics, Path.Combine(plots, "consensus.png"), $"{config.Name}: consensus distance");
        if (config.Mode != "sync") Plots.AccuracyVsTime(result.Metrics, Path.Combine(plots, "accuracy_vs_time.png"), $"{config.Name}: test accuracy vs virtual time");
        File.WriteAllText(Path.Combine(dir, "summary.md"),
            RunSummary.Render(config, result.Metrics, result.BytesByKind, setup.ParameterCount, wall.Elapsed.TotalSeconds, result.Error)
            + (result.Async is null ? "" : AsyncSummary.Render(config, result.Metrics, result.Async)));
        if (result.Error is not null) Log.Error("{Name} failed: {Error}", config.Name, result.Error);
        return new RunOutcome(dir, config, result, wall.Elapsed.TotalSeconds, setup.ParameterCount);
    }

    private static bool Interactive() =>
        !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static Actors.RunResult RunWithProgressBar(ExperimentSetup setup, RunProgress progress, string name, IAsyncObserver? events, Engine engine)
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
                result = engine(setup, progress, events);
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

    private static void WriteAgents(string path, ExperimentSetup setup, Actors.RunResult result)
    {
        var sb = new StringBuilder("agent,samples,classes,final_acc,bytes_sent\n");
        var hist = setup.Partition.LabelHistograms;
        for (int i = 0; i < setup.Config.Agents; i++)
        {
            string acc = i < result.FinalAgentAccuracies.Count ? result.FinalAgentAccuracies[i].ToString("R", CultureInfo.InvariantCulture) : "";
            sb.Append(i).Append(',').Append(setup.Partition.AgentIndices[i].Length).Append(',')
              .Append(hist[i].Count(v => v > 0)).Append(',').Append(acc).Append(',')
              .Append(result.BytesPerAgent[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }
}
