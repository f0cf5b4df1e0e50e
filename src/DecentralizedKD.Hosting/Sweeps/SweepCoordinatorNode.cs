using Akka.Actor;
using Akka.Event;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Hosting.Cluster;

namespace DecentralizedKD.Hosting.Sweeps;

/// <summary>
/// The coordinator node of a sweep across hosts (started by <see cref="ClusterBootstrap"/>): a
/// <see cref="SweepCoordinatorActor"/> at /user/sweep hands the <paramref name="pending"/> runs of the plan to the
/// workers that pull them, and each run folder that comes back is written under <paramref name="dir"/>; then
/// <paramref name="stored"/> is told (run index, whether it ended normally, its error). <see cref="Done"/> completes
/// with null when every run is in, or with why the sweep stopped. With a run secret (experiment.cluster.secret-env)
/// only workers that prove it get runs, as in a cluster run.
/// </summary>
public sealed class SweepCoordinatorNode : IAsyncDisposable
{
    private readonly SweepPlan _plan;
    private readonly string _dir;
    private readonly Action<int, bool, string?> _stored;
    private readonly ActorSystem _system;
    private readonly TaskCompletionSource<string?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SweepCoordinatorNode(SweepPlan plan, string dir, IReadOnlyList<int> pending, string fingerprint, ClusterOptions options, NodeEndpoint endpoint,
        Action<int, bool, string?> stored)
    {
        _plan = plan;
        _dir = dir;
        _stored = stored;
        var node = ClusterNodeSettings.For(ClusterAkkaConfig.CoordinatorRole, endpoint, 1, SweepChunkBytes(options), options);
        var secret = ClusterCredentials.Secret(options);
        _system = ClusterBootstrap.StartCoordinator(node, options.Tls, system =>
        {
            if (ClusterCredentials.UnauthenticatedWarning(endpoint, secret) is { } warning) system.Log.Warning(warning);
            system.ActorOf(SweepCoordinatorActor.Props(new SweepCoordinatorSettings(pending, fingerprint, Store, _done) { Secret = secret }), "sweep");
        });
    }

    /// <summary>The node's actor system (for its log).</summary>
    public ActorSystem System => _system;

    /// <summary>A sweep ships whole run folders, whose size no model bounds: the configured chunk size, at least the minimum.</summary>
    internal static long SweepChunkBytes(ClusterOptions options) => Math.Max(ClusterAkkaConfig.MinChunk, options.ChunkBytes);

    /// <summary>The address workers join.</summary>
    public SeedNode Seed => SeedNode.Of(ClusterBootstrap.AddressOf(_system));

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
        _stored(m.RunIndex, m.Ok, m.Error);
    }

    public ValueTask DisposeAsync() => new(NodeShutdown.StopAfterWorkersLeave(_system, () => _done.Task.IsCompleted));
}
