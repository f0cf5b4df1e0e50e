using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using Xunit.Abstractions;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// Whole runs with pooled parameter snapshots: every buffer is back in the pool when the run has ended, and the pool
/// allocates a small multiple of the agent count, not one buffer per agent per round.
/// </summary>
[Collection("engine")]
public sealed class BufferPoolRunTests(ITestOutputHelper output)
{
    private const int Agents = 8, Rounds = 24;

    private static readonly string[] Small =
        [$"agents={Agents}", $"rounds={Rounds}", "eval-every=6", "dataset.test-samples=200", "model.name=mlp", "model.hidden=[16]"];

    private void RunAndCheck(int buffersPerAgent, params string[] sets)
    {
        var setup = ExperimentSetup.Build(ExperimentConfigLoader.Load(null, [.. Small, .. sets]).Config);
        var result = LocalRun.Run(setup);
        Assert.Null(result.Error);
        var c = setup.BufferPool.Counters;
        output.WriteLine($"{string.Join(' ', sets)}: {c}");
        Assert.Equal(0, c.Outstanding);
        Assert.True(c.Rented >= Agents * Rounds, $"{c.Rented} snapshots rented");
        Assert.True(c.Allocated <= buffersPerAgent * Agents, $"{c.Allocated} buffers allocated for {Agents} agents over {Rounds} rounds");
    }

    [Theory]
    [InlineData("dpsgd")]
    [InlineData("qgm")]
    [InlineData("ccl")]
    public void Synchronous_runs_return_every_snapshot_buffer(string algorithm) =>
        RunAndCheck(2, $"algorithm.name={algorithm}");   // this round's and last round's snapshots

    [Fact]
    public void Asynchronous_runs_with_random_latency_and_drops_return_every_snapshot_buffer() =>
        // Slow links keep several snapshots of a sender in flight at once (latency up to a few steps), but not one per round.
        RunAndCheck(4, "algorithm.name=dpsgd", "mode=async", "network.latency.dist=lognormal", "network.latency.median=10ms",
            "network.drop=0.2", "compute.step-time=20ms");
}
