using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using DecentralizedKD.Actors.Hosts;
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
        private readonly ActorSystem _system;
        private readonly TaskCompletionSource<string?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<int, SweepRunStatus> _stored = [];
        private readonly Stopwatch _wall = Stopwatch.StartNew();

        public Coordinator(SweepPlan plan, string dir, ClusterOptions options, NodeEndpoint endpoint)
        {
            _plan = plan;
            _dir = dir;
            long chunk = Math.Max(ClusterAkkaConfig.MinChunk, options.ChunkBytes);
            _system = ClusterAkkaConfig.CreateSystem(endpoint, ClusterAkkaConfig.ForNode(ClusterAkkaConfig.CoordinatorRole, endpoint, 1, chunk, options), options.Tls);
            var cluster = Akka.Cluster.Cluster.Get(_system);
            cluster.Join(cluster.SelfAddress);
            var pending = Enumerable.Range(0, plan.Runs.Count)
                .Where(i => !SweepRunner.IsComplete(Path.Combine(dir, plan.Runs[i].Folder), Core.Checkpoint.CheckpointFormat.ConfigHash(plan.Runs[i].Loaded.ResolvedText)))
                .ToArray();
            _system.ActorOf(SweepCoordinatorActor.Props(new SweepCoordinatorSettings(pending, Fingerprint(plan), Store, _done)), "sweep");
            Log.Information("sweep {Name}: {Pending} of {Runs} runs to hand out", plan.Definition.Name, pending.Length, plan.Runs.Count);
        }

        /// <summary>The address workers join.</summary>
        public Address Address => Akka.Cluster.Cluster.Get(_system).SelfAddress;

        /// <summary>Completes with null when every run is in (or with why the sweep stopped).</summary>
        public Task<string?> Done => _done.Task;

        /// <summary>
        /// Writes a returned run folder next to its final place, then moves it there, so a folder under runs/ is always
        /// whole (the completion marker must never sit beside missing files).
        /// </summary>
        private void Store(SweepRunFiles m)
        {
            var run = _plan.Runs[m.RunIndex];
            string folder = Path.GetFullPath(Path.Combine(_dir, run.Folder));
            string partial = folder + ".partial";
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            for (int k = 0; k < m.Paths.Length; k++)
            {
                string path = Path.GetFullPath(Path.Combine(partial, m.Paths[k]));
                if (!path.StartsWith(partial + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new IOException($"run {m.RunIndex}: file '{m.Paths[k]}' is outside its run folder");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, m.Contents[k]);
            }
            Directory.CreateDirectory(partial);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.Move(partial, folder);
            lock (_stored) _stored[m.RunIndex] = new SweepRunStatus(run, m.Ok, m.Error);
            Log.Information("[{Done}/{Total}] {Cell} seed {Seed}: {Status}", _stored.Count, _plan.Runs.Count, run.Cell.Name, run.Seed, m.Ok ? "ok" : $"failed: {m.Error}");
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

        public ValueTask DisposeAsync() => new(NodeShutdown.StopAfterWorkersLeave(_system, () => _done.Task.IsCompleted));
    }

    /// <summary>A worker node: pulls runs of <paramref name="plan"/> from the coordinator at <paramref name="seed"/> until the sweep is done.</summary>
    public sealed class Worker : IAsyncDisposable
    {
        private readonly ActorSystem _system;
        private readonly string _scratch = Directory.CreateTempSubdirectory("dkd-sweep-worker-").FullName;
        private readonly TaskCompletionSource<string?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Worker(SweepPlan plan, Address seed, ClusterOptions options, NodeEndpoint endpoint, int slots)
        {
            long chunk = Math.Max(ClusterAkkaConfig.MinChunk, options.ChunkBytes);
            _system = ClusterAkkaConfig.CreateSystem(endpoint, ClusterAkkaConfig.ForNode(ClusterAkkaConfig.WorkerRole, endpoint, 1, chunk, options), options.Tls);
            var coordinator = _system.ActorSelection(new RootActorPath(seed) / "user" / "sweep");
            (string, bool, string?) RunOne(int index)
            {
                var run = plan.Runs[index];
                string sweepDir = Path.Combine(_scratch, $"run-{index}");
                var status = SweepRunner.RunOne(run, sweepDir, ExperimentRunner.Prepare(run.Loaded));
                return (Path.Combine(sweepDir, run.Folder), status.Ok, status.Error);
            }
            _system.ActorOf(SweepWorkerActor.Props(new SweepWorkerSettings(coordinator, Fingerprint(plan), slots, chunk, RunOne, options.RegisterRetry, _done)),
                "sweep-worker");
            _system.ActorOf(CoordinatorWatchActor.Props(seed, options.StartTimeout, _done), "watch");
            Akka.Cluster.Cluster.Get(_system).JoinSeedNodes([seed]);
        }

        public Address Address => Akka.Cluster.Cluster.Get(_system).SelfAddress;

        /// <summary>Completes with null when the sweep is done, or with why this worker stopped.</summary>
        public Task<string?> Done => _done.Task;

        public async ValueTask DisposeAsync()
        {
            await NodeShutdown.Stop(_system);
            try { Directory.Delete(_scratch, recursive: true); }
            catch (IOException) { }
        }
    }
}
