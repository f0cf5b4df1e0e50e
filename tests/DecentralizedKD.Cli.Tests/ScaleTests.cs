using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace DecentralizedKD.Cli.Tests;

/// <summary>
/// <c>dkd scale</c>, scaled down (64 agents, 3 rounds, a tiny MLP) and run as its own process so that the resident
/// memory it reports is not mixed with other tests' allocations. No timing thresholds; memory bounds are generous.
/// </summary>
[Collection("engine")]
public sealed class ScaleTests
{
    [Fact]
    public async Task Sixty_four_agents_report_plausible_memory_per_agent()
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "dkd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { "scale", "--agents", "64", "--rounds", "3", "--threads", "2", "--set", "model.name=mlp", "--set", "model.hidden=[16]", "--json" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout;
        Assert.True(process.ExitCode == 0, await stderr);

        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
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
    }
}
