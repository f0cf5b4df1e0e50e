using System.Diagnostics;
using System.Globalization;
using System.Text;
using DecentralizedKD.Cli.Reports;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.Hosting.Validation;
using Serilog;
using Spectre.Console;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Runs one experiment end to end: validates and builds everything first (input errors surface before any results
/// directory exists), then runs the actors and writes config.conf, metrics.csv, agents.csv, plots and summary.md.
/// <see cref="Resume"/> continues a checkpointed run in its own directory and writes the same outputs.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>A validated experiment ready to run, and how long setting it up took (counted in its wall time).</summary>
    public sealed record PreparedRun(LoadedExperiment Loaded, HostProcess Process, double SetupSeconds);

    /// <summary>How the actors run: the single-process <see cref="LocalRun"/> by default, or a cluster coordinator
    /// (which writes <paramref name="checkpoints"/> on its own disk, the agents' state shipped from the workers, and
    /// resuming ships the agents' state files of <paramref name="resumeFrom"/> to the workers).</summary>
    public delegate RunResult Engine(HostProcess process, IRunObserver observer, IAsyncObserver? events, RunCheckpoints? checkpoints,
        CoordinatorState? resumeFrom);

    public static RunOutcome Execute(LoadedExperiment loaded, string? outRoot, Engine? engine = null) =>
        Execute(Prepare(loaded, engine is null ? ValidationPurpose.Run : ValidationPurpose.Coordinator), outRoot, engine);

    /// <summary>Builds the experiment and runs every check the purpose needs (<see cref="ValidationPipeline"/>); nothing is written yet.</summary>
    public static PreparedRun Prepare(LoadedExperiment loaded) => Prepare(loaded, ValidationPurpose.Run);

    public static PreparedRun Prepare(LoadedExperiment loaded, ValidationPurpose purpose)
    {
        var wall = Stopwatch.StartNew();
        var process = ValidationPipeline.Prepare(loaded, purpose);
        return new PreparedRun(loaded, process, wall.Elapsed.TotalSeconds);
    }

    public static RunOutcome Execute(PreparedRun run, string? outRoot, Engine? engine = null)
    {
        var config = run.Loaded.Config;
        string dir = CreateRunDirectory(outRoot ?? config.OutputDir, config.Name);
        try
        {
            return RunInto(dir, run, engine);
        }
        catch (InputException)
        {
            // An input error found this late must not leave a results directory behind that looks like a run.
            TryDelete(dir);
            throw;
        }
    }

    /// <summary>
    /// Runs into <paramref name="dir"/> itself, created if needed (a sweep's run folder, where many runs may be going
    /// at once): the same files as <see cref="Execute(PreparedRun, string?, Engine?)"/>, no progress bar.
    /// </summary>
    public static RunOutcome ExecuteIn(PreparedRun run, string dir)
    {
        Directory.CreateDirectory(dir);
        return RunInto(Path.GetFullPath(dir), run, null, progressBar: false);
    }

    private static RunOutcome RunInto(string dir, PreparedRun run, Engine? engine, bool progressBar = true)
    {
        var (loaded, process) = (run.Loaded, run.Process);
        var config = loaded.Config;
        var wall = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(dir, ConfigFile), loaded.ResolvedText);
        var level = progressBar ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Debug;
        if (config.Model.PerAgent.Count == 0)
            Log.Write(level, "{Name}: {Agents} agents, {Algorithm}, {Model} ({Params:N0} parameters), {Rounds} rounds → {Dir}",
                config.Name, config.AgentCount, config.Algorithm.Name, config.Model.Name, process.Plan.ParameterCount, config.Rounds, dir);
        else
            Log.Write(level, "{Name}: {Agents} agents, {Algorithm}, models {Models}, {Rounds} rounds → {Dir}",
                config.Name, config.AgentCount, config.Algorithm.Name,
                string.Join(", ", process.Plan.ModelKinds.Select(k => $"{k.Label} × {k.Agents.Length} ({k.ParameterCount:N0} parameters)")), config.Rounds, dir);
        var checkpoints = config.CheckpointEvery > 0 ? new RunCheckpoints(dir, config, CheckpointFormat.ConfigHash(loaded.ResolvedText)) : null;
        return RunIn(dir, process, checkpoints, null, wall, run.SetupSeconds, engine, progressBar);
    }

    private const string ConfigFile = "config.conf";

    /// <summary>
    /// <c>dkd resume DIR</c>: reloads DIR/config.conf, checks the committed checkpoint against it (format version,
    /// config hash, every state file's checksum) before anything runs, restores agents and coordinator and runs to
    /// the end. metrics.csv is rewritten: the checkpoint's rows, then the new ones (rows written after the checkpoint
    /// by the interrupted process are dropped, and recomputed identically); an asynchronous run's events.jsonl is cut
    /// back to the checkpoint's length and continued the same way.
    /// </summary>
    /// <param name="engine">null: resume in this process; else e.g. a cluster coordinator (<c>dkd host --resume</c>).</param>
    public static RunOutcome Resume(string path, Engine? engine = null, bool progressBar = true)
    {
        var wall = Stopwatch.StartNew();
        string configPath = RunConfigPath(path);
        string dir = Path.GetDirectoryName(configPath)!;
        string text = File.ReadAllText(configPath);
        var loaded = ExperimentConfigLoader.Load(configPath);
        if (KeyAddedSince(text, loaded.ResolvedText) is { } added)
            throw new InputException($"dkd resume: {configPath} has no {added} (a key this build added; its default could change what the run " +
                                     "computes): resume the run with the build that started it, or start it again");
        var config = loaded.Config;
        if (config.CheckpointEvery <= 0)
            throw new InputException($"dkd resume: {configPath} has experiment.checkpoint.every = 0, so the run wrote no checkpoint");
        var checkpoints = new RunCheckpoints(dir, config, CheckpointFormat.ConfigHash(text));
        IResumeState state = config.Mode == RunMode.Async ? checkpoints.OpenAsync() : checkpoints.Open();
        var process = ValidationPipeline.Prepare(loaded, engine is null ? ValidationPurpose.Resume : ValidationPurpose.ResumeCoordinator);
        Log.Information("{Name}: resuming after round {Round} of {Rounds} → {Dir}", config.Name, state.CompletedRounds, config.Rounds, dir);
        return RunIn(dir, process, checkpoints, state, wall, 0, engine, progressBar);
    }

    /// <summary>
    /// The first key (with its default) that this build's resolved config has and a run's config.conf lacks: config.conf
    /// lists every key the build that wrote it knew, so a missing one was added since, and resuming would silently
    /// continue under its default. Null when none is missing.
    /// </summary>
    internal static string? KeyAddedSince(string written, string resolved)
    {
        static IEnumerable<(string Key, string Line)> Keys(string text) => text.ReplaceLineEndings("\n").Split('\n')
            .Where(l => l.StartsWith("experiment.", StringComparison.Ordinal) && l.Contains(" = "))
            .Select(l => (l[..l.IndexOf(" = ", StringComparison.Ordinal)], l));
        var have = Keys(written).Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        return Keys(resolved).Where(k => !have.Contains(k.Key)).Select(k => k.Line).FirstOrDefault();
    }

    /// <summary>RUN/config.conf of the run that <paramref name="path"/> names (DIR or DIR/checkpoint), checked to exist.</summary>
    public static string RunConfigPath(string path)
    {
        string dir = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        if (Path.GetFileName(dir) == CheckpointFormat.DirectoryName && !File.Exists(Path.Combine(dir, ConfigFile))) dir = Path.GetDirectoryName(dir)!;
        if (!Directory.Exists(dir)) throw new InputException($"dkd resume: run directory '{path}' not found");
        string configPath = Path.Combine(dir, ConfigFile);
        if (!File.Exists(configPath)) throw new InputException($"dkd resume: '{path}' is not a run directory ({ConfigFile} not found)");
        return configPath;
    }

    private static RunOutcome RunIn(string dir, HostProcess process, RunCheckpoints? checkpoints, IResumeState? resumeFrom, Stopwatch wall,
        double setupSeconds, Engine? engine, bool progressBar)
    {
        var config = process.Plan.Config;
        RunResult result;
        var memory = new MemoryProbe(config.AgentCount);
        var hooks = new RunHooks { BeforeAgents = memory.MarkBeforeAgents, AgentsCreated = memory.MarkAgentsCreated };
        // events.jsonl first: a resume whose events file does not fit the checkpoint stops before metrics.csv is rewritten.
        using (var events = config.Mode != RunMode.Sync ? OpenEvents(Path.Combine(dir, "events.jsonl"), resumeFrom) : null)
        using (var csv = new MetricsCsv(Path.Combine(dir, "metrics.csv"), averagedModel: !process.Plan.ModelsDiffer))
        {
            foreach (var row in resumeFrom?.Rows ?? []) csv.Append(row);
            var progress = new RunProgress(csv, config.Rounds, config.Name, averagedModel: !process.Plan.ModelsDiffer) { Quiet = !progressBar };
            var observers = new RunObservers(progress, memory);
            RunResult Go() => engine is null
                ? LocalRun.Run(process, observers, events, checkpoints, resumeFrom, hooks)
                : engine(process, observers, events, checkpoints, ClusterResumable(resumeFrom));
            result = progressBar && Interactive() ? RunWithProgressBar(process, progress, config.Name, resumeFrom, Go) : Go();
        }
        wall.Stop();
        double wallSeconds = setupSeconds + wall.Elapsed.TotalSeconds;

        var finalMetrics = result.Error is null ? FinalAgentMetrics.Evaluate(process, result.FinalAgentParameters) : [];
        WriteAgents(Path.Combine(dir, "agents.csv"), process, result, finalMetrics);
        string plots = Directory.CreateDirectory(Path.Combine(dir, "plots")).FullName;
        Plots.Accuracy(result.Metrics, Path.Combine(plots, "accuracy.png"), $"{config.Name}: test accuracy");
        // Agents with different models have no consensus distance (summary.md then links no such plot).
        if (!process.Plan.ModelsDiffer) Plots.Consensus(result.Metrics, Path.Combine(plots, "consensus.png"), $"{config.Name}: consensus distance");
        if (config.Mode != RunMode.Sync) Plots.AccuracyVsTime(result.Metrics, Path.Combine(plots, "accuracy_vs_time.png"), $"{config.Name}: test accuracy vs virtual time");
        File.WriteAllText(Path.Combine(dir, "summary.md"),
            RunSummary.Render(config, result.Metrics, result.BytesByKind, process.Plan.ModelKinds, wallSeconds, result.Error,
                finalMetrics, result.FinalAgentAccuracies, DeviceStage.SummaryLine(process, agentsHere: engine is null))
            + ModelsSummary.Render(process.Plan)
            + (result.Async is null ? "" : AsyncSummary.Render(config, result.Metrics, result.Async, result.Windows))
            + config.Algorithm.Descriptor.Report(process)
            + HostLossSummary.Render(result.HostLosses, config.AgentCount)
            + MemorySummary.Render(memory));
        foreach (var loss in result.HostLosses)
            Log.Warning("{Reason} after round {Round}: continued without agents {Agents} (cluster.on-host-loss = continue)",
                loss.Reason, loss.CompletedRounds, Hosting.Cluster.Placement.Describe(loss.AgentIds));
        if (result.Error is not null) Log.Error("{Name} failed: {Error}", config.Name, result.Error);
        return new RunOutcome(dir, config, result, wallSeconds, process.Plan.LargestParameterCount) { Memory = memory };
    }

    private static bool Interactive() =>
        !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Cluster engines run synchronous rounds only: an asynchronous checkpoint resumes in one process.</summary>
    private static CoordinatorState? ClusterResumable(IResumeState? state) => state switch
    {
        null => null,
        CoordinatorState sync => sync,
        _ => throw new InputException("an asynchronous run's checkpoint resumes in one process only (dkd resume RUN), not on a cluster"),
    };

    /// <summary>A new events.jsonl, or (resuming an asynchronous run) the existing one cut back to the checkpoint's length.</summary>
    private static EventsJsonl OpenEvents(string path, IResumeState? resumeFrom) =>
        resumeFrom is AsyncCoordinatorState { EventsBytes: >= 0 } s ? EventsJsonl.Continue(path, s.EventsBytes) : new EventsJsonl(path);

    private static RunResult RunWithProgressBar(HostProcess process, RunProgress progress, string name, IResumeState? resumeFrom,
        Func<RunResult> run)
    {
        RunResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(name, maxValue: process.Plan.Config.Rounds);
                task.Value = resumeFrom?.CompletedRounds ?? 0;
                progress.OnTick = (round, row) =>
                {
                    task.Value = round;
                    if (row is not null) task.Description = $"{name} acc {SafePct(row.MeanAcc)}";
                };
                result = run();
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

    /// <summary>
    /// One line per agent. With <c>experiment.model.per-agent</c> a <c>model</c> column after <c>agent</c> names each
    /// agent's model; runs without it keep the columns they always had, so scripts reading them by position still work.
    /// Auxiliary-head columns go up to the most heads any agent has, empty for agents with fewer.
    /// </summary>
    private static void WriteAgents(string path, HostProcess process, RunResult result, FinalAgentMetrics[] final)
    {
        var extra = process.Plan.Config.Algorithm.Descriptor.AgentColumns(process);
        int auxiliary = process.Plan.ModelKinds.Max(k => Math.Max(0, k.Spec.Heads - 1));
        bool modelColumn = process.Plan.Config.Model.PerAgent.Count > 0;
        var sb = new StringBuilder(modelColumn ? "agent,model,samples,classes,final_acc,private_accuracy,bytes_sent" : "agent,samples,classes,final_acc,private_accuracy,bytes_sent");
        for (int k = 1; k <= auxiliary; k++) sb.Append(",aux").Append(k).Append("_acc");
        foreach (var column in extra) sb.Append(',').Append(column.Header);
        sb.Append('\n');
        var hist = process.Plan.Partition.LabelHistograms;
        for (int i = 0; i < process.Plan.Config.AgentCount; i++)
        {
            var f = i < final.Length ? final[i] : null;
            bool holdsData = i < process.Plan.Partition.Agents; // the FedAvg/FedDKD server (last agent) holds none
            sb.Append(i).Append(',');
            if (modelColumn) sb.Append(Cell(process.Plan.ModelKindOf(i).Label)).Append(',');
            sb.Append(holdsData ? process.Plan.Partition.AgentIndices[i].Length : 0).Append(',')
              .Append(holdsData ? hist[i].Count(v => v > 0) : 0).Append(',')
              .Append(Number(i < result.FinalAgentAccuracies.Count ? result.FinalAgentAccuracies[i] : double.NaN)).Append(',')
              .Append(Number(f?.PrivateAccuracy ?? double.NaN)).Append(',')
              .Append(result.BytesPerAgent[i].ToString(CultureInfo.InvariantCulture));
            for (int k = 0; k < auxiliary; k++)
                sb.Append(',').Append(Number(f is null || k >= f.AuxiliaryHeadAccuracies.Length ? double.NaN : f.AuxiliaryHeadAccuracies[k]));
            foreach (var column in extra) sb.Append(',').Append(column.ValueOf(i));
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>A CSV cell, quoted when it holds a comma (an MLP's label lists its hidden widths: <c>mlp[200,100]</c>).</summary>
    private static string Cell(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Round-trip number, or an empty cell when there is none.</summary>
    private static string Number(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
}
