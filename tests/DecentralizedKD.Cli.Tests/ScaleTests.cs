using System.Text.Json;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd scale</c>, scaled down (64 agents, 3 rounds, a tiny MLP) and run as its own process so that the resident
/// memory it reports is not mixed with other tests' allocations. No timing thresholds; memory bounds are generous.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
public sealed class ScaleTests
{
    [Fact]
    public async Task Sixty_four_agents_report_plausible_memory_per_agent()
    {
        using var json = await RunScale("--agents", "64", "--rounds", "3", "--threads", "2", "--set", "model.name=mlp", "--set", "model.hidden=[16]");
        var r = json.RootElement;
        Assert.Equal(64, r.GetProperty("agents").GetInt32());
        int parameters = r.GetProperty("parameters").GetInt32();
        Assert.Equal(784 * 16 + 16 + 16 * 10 + 10, parameters);
        // Every agent holds at least its flat parameter vector (4 bytes each) resident; 64 MB each would be absurd.
        double perAgentKb = r.GetProperty("perAgentAtCreationKB").GetDouble();
        Assert.InRange(perAgentKb, 4.0 * parameters / 1024, 64 * 1024);
        Assert.InRange(r.GetProperty("perAgentAtEndKB").GetDouble(), 4.0 * parameters / 1024, 64 * 1024);
        double before = r.GetProperty("rssBeforeAgentsMB").GetDouble(), after = r.GetProperty("rssAfterAgentsMB").GetDouble();
        double peak = r.GetProperty("peakRssMB").GetDouble();
        Assert.True(before < after && after <= peak, $"before {before}, after {after}, peak {peak}");
        var trace = r.GetProperty("rssEveryRoundsMB").EnumerateArray().ToList();
        Assert.Equal(new[] { 1, 2, 3 }, trace.Select(t => t.GetProperty("round").GetInt32()));
        Assert.All(trace, t => Assert.InRange(t.GetProperty("rssMB").GetDouble(), before, peak));
        Assert.True(r.GetProperty("msPerRound").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("windows").ValueKind); // synchronous runs have no windows
        Assert.Equal(2, r.GetProperty("timedRounds").GetInt32()); // rounds 2 and 3; the final evaluation follows round 3
        // Per agent and round a snapshot and the mixing scratch, plus one copy for the final evaluation: from one buffer per
        // agent and one scratch per compute thread, all returned (or kept as the final parameters) by the end.
        Assert.Equal(64 * (2 * 3 + 1), r.GetProperty("pooledBuffersRented").GetInt64());
        long allocated = r.GetProperty("pooledBuffersAllocated").GetInt64();
        Assert.InRange(allocated, 64, 64 + 2);
        Assert.Equal(0, r.GetProperty("pooledBuffersOutstandingAtEnd").GetInt64());
        // The breakdown: exact for what the engine sizes (D-PSGD keeps one momentum buffer; the data view is the index
        // array and the epoch order, tiled to a full batch of 32: the iid split gives 1000 samples as 40 agents × 16
        // (order 2 × 16) and 24 × 15 (3 × 15)), measured (and positive) for the rest.
        var bytes = r.GetProperty("perAgentBytes");
        Assert.Equal(4.0 * parameters, bytes.GetProperty("parameters").GetDouble());
        Assert.Equal(4.0 * parameters, bytes.GetProperty("gradients").GetDouble());
        Assert.Equal(4.0 * parameters, bytes.GetProperty("methodState").GetDouble());
        Assert.Equal((40 * 4.0 * (16 + 32) + 24 * 4.0 * (15 + 45)) / 64, bytes.GetProperty("dataView").GetDouble());
        Assert.Equal(Math.Round(allocated * 4.0 * parameters / 64), bytes.GetProperty("pooledBuffers").GetDouble());
        Assert.True(bytes.GetProperty("actorAndManagedMeasured").GetDouble() > 0);
    }

    [Fact]
    public async Task Async_mode_reports_iterations_every_agent_finished_as_rounds()
    {
        using var json = await RunScale("--agents", "32", "--rounds", "4", "--report-every", "2", "--mode", "async", "--threads", "2",
            "--set", "model.name=mlp", "--set", "model.hidden=[16]");
        var r = json.RootElement;
        Assert.Equal("async", r.GetProperty("mode").GetString());
        Assert.Equal(32, r.GetProperty("agents").GetInt32());
        Assert.Equal(new[] { 2, 4 }, r.GetProperty("rssEveryRoundsMB").EnumerateArray().Select(t => t.GetProperty("round").GetInt32()));
        Assert.True(r.GetProperty("msPerRound").GetDouble() > 0);
        // Every agent computes at least once per iteration, so four iterations need at least four windows, and a window
        // runs between one and all 32 agents.
        Assert.True(r.GetProperty("windows").GetInt64() >= 4);
        // Iterations 2 and 3 are timed: iteration 4 ends with every agent's final evaluation.
        Assert.Equal(2, r.GetProperty("timedRounds").GetInt32());
        Assert.InRange(r.GetProperty("meanActiveAgentsPerWindow").GetDouble(), 1, 32);
    }

    /// <summary>
    /// The scaled-down flat-memory check: 16 LeNet-5 agents for 60 rounds, memory read after a full settling
    /// collection every 10 rounds. Leaking one parameter snapshot per agent per round would add 16 × 247 KB × 40 ≈ 158 MB
    /// between rounds 20 and 60 (a leaked activation tensor per step far more); allocator noise is a few MB.
    /// </summary>
    [Fact]
    public async Task Resident_and_managed_memory_stay_flat_over_sixty_rounds()
    {
        using var json = await RunScale("--agents", "16", "--rounds", "60", "--report-every", "10", "--threads", "2", "--settle");
        var trace = json.RootElement.GetProperty("rssEveryRoundsMB").EnumerateArray()
            .Select(t => (Round: t.GetProperty("round").GetInt32(), Rss: t.GetProperty("rssMB").GetDouble(), Managed: t.GetProperty("managedMB").GetDouble()))
            .ToList();
        Assert.Equal(new[] { 10, 20, 30, 40, 50, 60 }, trace.Select(t => t.Round));
        var baseline = trace.Single(t => t.Round == 20); // round 1 allocates payloads and optimizer state; by 20 the heap is warm
        var later = trace.Where(t => t.Round > 20).ToList();
        string shape = string.Join(", ", trace.Select(t => $"{t.Round}: {t.Rss} MB rss / {t.Managed} MB managed"));
        Assert.True(later.Max(t => t.Rss) - baseline.Rss < 48, $"resident memory grew: {shape}");
        Assert.True(later.Max(t => t.Managed) - baseline.Managed < 8, $"managed heap grew: {shape}");
    }

    private static async Task<JsonDocument> RunScale(params string[] args)
    {
        using var process = ChildProcess.Dkd("dkd scale", ["scale", .. args, "--json"]);
        Assert.True(await process.WaitForExit(600) == 0, process.Tail());
        return JsonDocument.Parse(process.Stdout.Trim().Split('\n')[^1]);
    }
}
