using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Sweeps;
using Serilog;

namespace DecentralizedKD.Cli.Sweeps;

/// <summary>
/// A sweep across hosts: the coordinator node hands out whole runs (work pulling, one request per free slot of a
/// worker), each worker runs its runs exactly as a local sweep would and ships the run folders back, and the
/// coordinator writes the same runs/, sweep.csv, cells.csv and summary.md as <c>dkd sweep</c>. Runs are deterministic,
/// so a lost worker's unfinished runs simply run again on another worker.
/// </summary>
public static class ClusterSweep
{
    /// <summary>
    /// What every host must agree on: the cells and, per run, what it computes (the experiment fingerprint, which leaves
    /// out host-local keys such as dataset.path), so hosts with different checkouts can share a sweep.
    /// </summary>
    public static string Fingerprint(SweepPlan plan)
    {
        var sb = new StringBuilder();
        foreach (var run in plan.Runs) sb.Append(run.Cell.Name).Append('\n').Append(run.Seed).Append('\n').Append(run.Loaded.Fingerprint).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }

    /// <summary>A coordinator node: runs every unfinished run of <paramref name="plan"/> on the workers, then writes the reports.</summary>
    public sealed class Coordinator : IAsyncDisposable
    {
        private readonly SweepPlan _plan;
        private readonly string _dir;
        private readonly SweepCoordinatorNode _node;
        private readonly Dictionary<int, SweepRunStatus> _stored = [];
        private readonly Stopwatch _wall = Stopwatch.StartNew();

        public Coordinator(SweepPlan plan, string dir, ClusterOptions options, NodeEndpoint endpoint)
        {
            _plan = plan;
            _dir = dir;
            var pending = Enumerable.Range(0, plan.Runs.Count)
                .Where(i => !SweepRunner.IsComplete(Path.Combine(dir, plan.Runs[i].Folder), Core.Checkpoint.CheckpointFormat.ConfigHash(plan.Runs[i].Loaded.ResolvedText)))
                .ToArray();
            _node = new SweepCoordinatorNode(plan, dir, pending, Fingerprint(plan), options, endpoint, Stored);
            Log.Information("sweep {Name}: {Pending} of {Runs} runs to hand out", plan.Definition.Name, pending.Length, plan.Runs.Count);
        }

        /// <summary>The address workers join.</summary>
        public SeedNode Address => _node.Seed;

        /// <summary>The coordinator node (tests read its actor system's log: refused workers).</summary>
        internal SweepCoordinatorNode Node => _node;

        /// <summary>Completes with null when every run is in (or with why the sweep stopped).</summary>
        public Task<string?> Done => _node.Done;

        /// <summary>A returned run folder is in place under runs/ (written whole by the node).</summary>
        private void Stored(int runIndex, bool ok, string? error)
        {
            var run = _plan.Runs[runIndex];
            lock (_stored) _stored[runIndex] = new SweepRunStatus(run, ok, error);
            Log.Information("[{Done}/{Total}] {Cell} seed {Seed}: {Status}", _stored.Count, _plan.Runs.Count, run.Cell.Name, run.Seed, ok ? "ok" : $"failed: {error}");
        }

        /// <summary>The statuses of every run (stored now, or complete before) and the reports; returns the failed count.</summary>
        public int WriteReports()
        {
            var statuses = _plan.Runs.Select((run, i) =>
            {
                lock (_stored)
                    if (_stored.TryGetValue(i, out var s)) return s;
                return new SweepRunStatus(run, true, null);
            }).ToArray();
            return SweepReports.Write(_plan, _dir, statuses, _wall.Elapsed.TotalSeconds);
        }

        public ValueTask DisposeAsync() => _node.DisposeAsync();
    }

    /// <summary>A worker node: pulls runs of <paramref name="plan"/> from the coordinator at <paramref name="seed"/> until the sweep is done.</summary>
    public sealed class Worker : IAsyncDisposable
    {
        private readonly SweepWorkerNode _node;
        private readonly string _scratch = Directory.CreateTempSubdirectory("dkd-sweep-worker-").FullName;

        public Worker(SweepPlan plan, SeedNode seed, ClusterOptions options, NodeEndpoint endpoint, int slots)
        {
            (string, bool, string?) RunOne(int index)
            {
                var run = plan.Runs[index];
                string sweepDir = Path.Combine(_scratch, $"run-{index}");
                var status = SweepRunner.RunOne(run, sweepDir, ExperimentRunner.Prepare(run.Loaded));
                return (Path.Combine(sweepDir, run.Folder), status.Ok, status.Error);
            }
            _node = new SweepWorkerNode(seed, Fingerprint(plan), options, endpoint, slots, RunOne);
        }

        public string Address => _node.Address;

        /// <summary>Completes with null when the sweep is done, or with why this worker stopped.</summary>
        public Task<string?> Done => _node.Done;

        public async ValueTask DisposeAsync()
        {
            await _node.DisposeAsync();
            try { Directory.Delete(_scratch, recursive: true); }
            catch (IOException) { }
        }
    }
}
