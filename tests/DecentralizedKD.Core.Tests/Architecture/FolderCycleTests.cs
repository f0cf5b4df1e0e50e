using DecentralizedKD.Core.Config;
using Xunit;

namespace DecentralizedKD.Core.Tests.Architecture;

/// <summary>
/// Core's folders must not use each other in a loop. The uses that still close a loop are listed below, each with why
/// it is still there; the list may only shrink: the test fails on a loop through any other use, and on a listed use
/// that no longer exists or no longer closes a loop (then delete its line).
/// </summary>
public sealed class FolderCycleTests
{
    private static readonly System.Reflection.Assembly Core = typeof(ExperimentConfig).Assembly;

    /// <summary>Uses from a lower folder to a higher one that remain, as "From → To".</summary>
    private static readonly string[] KnownBackEdges =
    [
        // The algorithm section holds the descriptor its name resolved to, while method descriptors check the whole
        // ExperimentConfig. (Dataset, partition and topology sections live with their plug-ins, in Data and Topology;
        // the async section's closed-set words are enums of Simulation, a lower folder: the agents that run in virtual
        // time, which drive the algorithms, live in Training.)
        "Config → Algorithms",
        // Descriptors build agents from the RunPlan/HostProcess and the KD learners that live in Training, which in
        // turn runs the algorithms (AgentRuntime → IAgentAlgorithm).
        "Algorithms → Training",
    ];

    [Fact]
    public void Core_folders_use_each_other_in_no_loop_but_the_listed_ones()
    {
        var graph = FolderDependencies.Of(Core);
        var known = KnownBackEdges.Select(Parse).ToList();
        var pruned = graph.ToDictionary(p => p.Key, p => new SortedDictionary<string, string>(
            p.Value.Where(e => !known.Contains((p.Key, e.Key))).ToDictionary(e => e.Key, e => e.Value), StringComparer.Ordinal));
        var cycles = FolderDependencies.Cycles(pruned).Select(c => c + Uses(graph, c)).ToList();
        Assert.True(cycles.Count == 0, "Core folders use each other in a loop:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void Every_listed_back_edge_still_exists_and_still_closes_a_loop()
    {
        var graph = FolderDependencies.Of(Core);
        var components = FolderDependencies.StronglyConnected(graph);
        var stale = KnownBackEdges.Where(edge =>
        {
            var (from, to) = Parse(edge);
            return !graph.TryGetValue(from, out var edges) || !edges.ContainsKey(to)
                   || !components.Any(c => c.Contains(from) && c.Contains(to));
        }).ToList();
        Assert.True(stale.Count == 0, "no longer a use that closes a loop, delete it from KnownBackEdges: " + string.Join(", ", stale));
    }

    [Fact]
    public void The_scan_sees_uses_that_a_using_line_does_not_show()
    {
        // Training names Memory.FloatBufferPool through its parent namespace without a using line; the reflection scan
        // must still see it, and must see the known loop between Algorithms and Training from both sides.
        var graph = FolderDependencies.Of(Core);
        Assert.Contains("Memory", graph["Training"].Keys);
        Assert.Contains("Training", graph["Algorithms"].Keys);
        Assert.Contains("Algorithms", graph["Training"].Keys);
        Assert.DoesNotContain("Algorithms", graph["Topology"].Keys);   // MixingRow lives in Topology
        Assert.DoesNotContain("Config", graph["Plugins"].Keys);        // the settings vocabulary lives in Plugins
    }

    [Fact]
    public void A_loop_is_named_folder_by_folder()
    {
        var graph = new Dictionary<string, SortedDictionary<string, string>>
        {
            ["A"] = new(StringComparer.Ordinal) { ["B"] = "a→b" },
            ["B"] = new(StringComparer.Ordinal) { ["C"] = "b→c" },
            ["C"] = new(StringComparer.Ordinal) { ["A"] = "c→a", [""] = "c→root" },
            [""] = new(StringComparer.Ordinal),
        };
        Assert.Equal(["A → B → C → A"], FolderDependencies.Cycles(graph));
        graph["C"].Remove("A");
        Assert.Empty(FolderDependencies.Cycles(graph));
    }

    private static (string From, string To) Parse(string edge)
    {
        var parts = edge.Split(" → ");
        return (parts[0], parts[1]);
    }

    /// <summary>The type-level use behind each step of a cycle, so the message says which code to move.</summary>
    private static string Uses(IReadOnlyDictionary<string, SortedDictionary<string, string>> graph, string cycle)
    {
        var folders = cycle.Split(" → ").Select(f => f == "(root)" ? "" : f).ToArray();
        return string.Concat(folders.Zip(folders.Skip(1), (a, b) => $"\n  {FolderDependencies.Display(a)} → {FolderDependencies.Display(b)}: {graph[a][b]}"));
    }
}
