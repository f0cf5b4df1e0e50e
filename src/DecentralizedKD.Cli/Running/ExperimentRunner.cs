using System.Diagnostics;
using System.Globalization;
using System.Text;
using DecentralizedKD.Actors;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Cluster.Config;
using DecentralizedKD.Cluster.Hosting;
using DecentralizedKD.Core;
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
    /// <summary>A validated experiment ready to run, and how long setting it up took (counted in its wall time).</summary>
    public sealed record PreparedRun(LoadedExperiment Loaded, ExperimentSetup Setup, double SetupSeconds);

    public static RunOutcome Execute(LoadedExperiment loaded, string? outRoot) => Execute(Prepare(loaded), outRoot);

    /// <summary>Builds the experiment and runs every check that needs it; nothing is written yet.</summary>
    public static PreparedRun Prepare(LoadedExperiment loaded)
    {
        var wall = Stopwatch.StartNew();
        var setup = ExperimentSetup.Build(loaded.Config);
        Preflight.Check(setup);
        return new PreparedRun(loaded, setup, wall.Elapsed.TotalSeconds);
    }

    public static RunOutcome Execute(PreparedRun run, string? outRoot)
    {
        var config = run.Loaded.Config;
        string dir = CreateRunDirectory(outRoot ?? config.OutputDir, config.Name);
        try
        {
            return RunInto(dir, run);
        }
        catch (InputException)
        {
            // An input error found this late must not leave a results directory behind that looks like a run.
            TryDelete(dir);
            throw;
        }
    }

    private static RunOutcome RunInto(string dir, PreparedRun run)
    {
        var (loaded, setup) = (run.Loaded, run.Setup);
        var config = loaded.Config;
        var wall = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(dir, "config.conf"), loaded.ResolvedText);
        Log.Information("{Name}: {Agents} agents, {Algorithm}, {Model} ({Params:N0} parameters), {Rounds} rounds → {Dir}",
            config.Name, config.Agents, config.Algorithm.Name, config.Model.Name, setup.ParameterCount, config.Rounds, dir);

        Actors.RunResult result;
        var memory = new MemoryProbe(config.Agents);
        var hooks = new RunHooks { BeforeAgents = memory.MarkBeforeAgents, AgentsCreated = memory.MarkAgentsCreated };
        using (var csv = new MetricsCsv(Path.Combine(dir, "metrics.csv")))
        using (var events = config.Mode != "sync" ? new EventsJsonl(Path.Combine(dir, "events.jsonl")) : null)
        {
            var progress = new RunProgress(csv, config.Rounds, config.Name);
            var observers = new RunObservers(progress, memory);
            result = Interactive()
                ? RunWithProgressBar(setup, progress, observers, config.Name, events, hooks)
                : LocalRun.Run(setup, observers, events, hooks);
        }
        wall.Stop();
        double wallSeconds = run.SetupSeconds + wall.Elapsed.TotalSeconds;

        WriteAgents(Path.Combine(dir, "agents.csv"), setup, result);
        string plots = Directory.CreateDirectory(Path.Combine(dir, "plots")).FullName;
        Plots.Accuracy(result.Metrics, Path.Combine(plots, "accuracy.png"), $"{config.Name}: test accuracy");
        Plots.Consensus(result.Metrics, Path.Combine(plots, "consensus.png"), $"{config.Name}: consensus distance");
        if (config.Mode != "sync") Plots.AccuracyVsTime(result.Metrics, Path.Combine(plots, "accuracy_vs_time.png"), $"{config.Name}: test accuracy vs virtual time");
        File.WriteAllText(Path.Combine(dir, "summary.md"),
            RunSummary.Render(config, result.Metrics, result.BytesByKind, setup.ParameterCount, wallSeconds, result.Error)
            + (result.Async is null ? "" : AsyncSummary.Render(config, result.Metrics, result.Async))
            + MemorySummary.Render(memory));
        if (result.Error is not null) Log.Error("{Name} failed: {Error}", config.Name, result.Error);
        return new RunOutcome(dir, config, result, wallSeconds, setup.ParameterCount) { Memory = memory };
    }

    private static bool Interactive() =>
        !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static Actors.RunResult RunWithProgressBar(ExperimentSetup setup, RunProgress progress, IRunObserver observer, string name,
        IAsyncObserver? events, RunHooks hooks)
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
                result = LocalRun.Run(setup, observer, events, hooks);
            });
        return result!;
    }

    private static string SafePct(double v) => Markup.Escape(RunSummary.Pct(v));

    private static string CreateRunDirectory(string root, string name)
    {
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string dir = Path.Combine(root, $"{name}-{stamp}");
        for (int k = 2; Directory.Exists(dir); k++) dir = Path.Combine(root, $"{name}-{stamp}-{k}");
        try
        {
            return Directory.CreateDirectory(dir).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"output directory '{root}' (--out or experiment.output.dir): cannot create '{dir}': {e.Message}");
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log.Warning("could not remove {Dir}: {Error}", dir, e.Message); }
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
