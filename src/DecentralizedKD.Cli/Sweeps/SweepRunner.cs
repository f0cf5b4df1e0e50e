using System.Diagnostics;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Hosting.Sweeps;
using Serilog;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>How one run of a sweep ended: ok, failed (with its error), or skipped because it had finished before.</summary>
public sealed record SweepRunStatus(SweepRun Run, bool Ok, string? Error);

/// <summary>
/// Executes a sweep's runs, P at a time, each exactly as <c>dkd run</c> would (same preparation, same files) in its own
/// folder <c>runs/&lt;cell&gt;/seed-&lt;s&gt;</c> and its own actor system. A run that fails is recorded with its error
/// and the others go on. Re-running into the same folder continues: a run whose folder holds the completion marker
/// for its exact resolved config is skipped, one with a checkpoint resumes from it, anything else starts over.
/// </summary>
public static class SweepRunner
{
    /// <summary>Written into a run folder after the run ended normally: the SHA-256 of its resolved config.</summary>
    public const string CompleteMarker = ".sweep-complete";

    public static IReadOnlyList<SweepRunStatus> Run(SweepPlan plan, string sweepDir, IReadOnlyList<ExperimentRunner.PreparedRun> prepared,
        int parallel, Action<SweepRunStatus, int, int, TimeSpan>? onFinished = null)
    {
        var statuses = new SweepRunStatus?[plan.Runs.Count];
        var wall = Stopwatch.StartNew();
        int finished = 0;
        using var slots = new SemaphoreSlim(parallel);
        var threads = new List<Thread>();
        for (int k = 0; k < plan.Runs.Count; k++)
        {
            int index = k;
            slots.Wait();
            // A thread per run: the engine blocks its caller while its own actor system computes.
            var thread = new Thread(() =>
            {
                try
                {
                    var status = RunOne(plan.Runs[index], sweepDir, prepared[index]);
                    statuses[index] = status;
                    int done = Interlocked.Increment(ref finished);
                    var eta = TimeSpan.FromSeconds(Math.Round(wall.Elapsed.TotalSeconds / done * (plan.Runs.Count - done)));
                    // A progress line must never take the sweep down (it reads files the run wrote).
                    try { onFinished?.Invoke(status, done, plan.Runs.Count, eta); }
                    catch (Exception e) { Log.Warning("sweep progress: {Error}", e.Message); }
                }
                finally { slots.Release(); }
            }) { IsBackground = true, Name = $"dkd-sweep-{index}" };
            threads.Add(thread);
            thread.Start();
        }
        foreach (var t in threads) t.Join();
        return statuses.Select(s => s!).ToArray();
    }

    /// <summary>One run into <c>sweepDir/runs/&lt;cell&gt;/seed-&lt;s&gt;</c>: skipped when complete, resumed from a checkpoint, or run afresh.</summary>
    public static SweepRunStatus RunOne(SweepRun run, string sweepDir, ExperimentRunner.PreparedRun prepared)
    {
        string dir = Path.Combine(sweepDir, run.Folder);
        string hash = CheckpointFormat.ConfigHash(run.Loaded.ResolvedText);
        try
        {
            if (IsComplete(dir, hash)) return new SweepRunStatus(run, true, null);
            RunOutcome outcome;
            if (HasCheckpointOf(dir, run.Loaded.ResolvedText))
            {
                Log.Information("{Cell} seed {Seed}: resuming from its checkpoint", run.Cell.Name, run.Seed);
                outcome = ExperimentRunner.Resume(dir, progressBar: false);
            }
            else
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);   // an interrupted run without a checkpoint starts over
                outcome = ExperimentRunner.ExecuteIn(prepared, dir);
            }
            if (outcome.Result.Error is { } error) return new SweepRunStatus(run, false, error);
            File.WriteAllText(Path.Combine(dir, CompleteMarker), hash);
            return new SweepRunStatus(run, true, null);
        }
        catch (Exception e)
        {
            return new SweepRunStatus(run, false, $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Finished before, with exactly this config (a changed sweep reruns the cell).</summary>
    public static bool IsComplete(string dir, string configHash)
    {
        string marker = Path.Combine(dir, CompleteMarker), config = Path.Combine(dir, "config.conf");
        return File.Exists(marker) && File.Exists(config) && File.Exists(Path.Combine(dir, "metrics.csv")) && File.ReadAllText(marker) == configHash
               && CheckpointFormat.ConfigHash(File.ReadAllText(config)) == configHash;
    }

    private static bool HasCheckpointOf(string dir, string resolvedText)
    {
        string config = Path.Combine(dir, "config.conf");
        return File.Exists(Path.Combine(dir, CheckpointFormat.DirectoryName, CheckpointFormat.ManifestName))
               && File.Exists(config) && File.ReadAllText(config) == resolvedText;
    }
}
