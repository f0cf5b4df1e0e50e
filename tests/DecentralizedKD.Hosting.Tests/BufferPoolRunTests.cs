using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using Xunit.Abstractions;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// Whole runs with pooled parameter snapshots: every buffer is back in the pool when the run has ended, and the pool
/// allocates about one buffer per agent (synchronous) or a few (asynchronous), not one per agent per round. Two compute
/// threads: at most two mixing scratch buffers are out at once.
/// </summary>
[Collection("engine")]
public sealed class BufferPoolRunTests(ITestOutputHelper output)
{
    private const int Agents = 8, Rounds = 24;

    private static readonly string[] Small =
        [$"agents={Agents}", $"rounds={Rounds}", "eval-every=6", "threads=2", "dataset.test-samples=200", "model.name=mlp", "model.hidden=[16]"];

    private void RunAndCheck(int maxAllocated, params string[] sets)
    {
        var setup = HostProcess.Build(ExperimentConfigLoader.Load(null, [.. Small, .. sets]).Config);
        var result = LocalRun.Run(setup);
        Assert.Null(result.Error);
        var c = setup.BufferPool.Counters;
        output.WriteLine($"{string.Join(' ', sets)}: {c}");
        Assert.Equal(0, c.Outstanding);
        Assert.True(c.Rented >= Agents * Rounds, $"{c.Rented} snapshots rented");
        Assert.True(c.Allocated <= maxAllocated, $"{c.Allocated} buffers allocated for {Agents} agents over {Rounds} rounds");
    }

    [Theory]
    [InlineData("dpsgd")]
    [InlineData("qgm")]
    [InlineData("ccl")]
    public void Synchronous_runs_return_every_snapshot_buffer(string algorithm) =>
        // Receivers let go once they have combined, so each sender gets its own buffer back for its next snapshot, and an
        // evaluation's copies reuse the snapshots' buffers: one per agent plus the two threads' mixing scratch.
        RunAndCheck(Agents + 2, $"algorithm.name={algorithm}");

    [Fact]
    public void Asynchronous_runs_with_random_latency_and_drops_return_every_snapshot_buffer() =>
        // Slow links keep several snapshots of a sender in flight at once (latency up to a few steps), but not one per round.
        RunAndCheck(4 * Agents, "algorithm.name=dpsgd", "mode=async", "network.latency.dist=lognormal", "network.latency.median=10ms",
            "network.drop=0.2", "compute.step-time=20ms");
}
