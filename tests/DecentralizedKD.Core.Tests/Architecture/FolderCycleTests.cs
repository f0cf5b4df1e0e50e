using Xunit;
using DecentralizedKD.Core.Config;
using Xunit.Abstractions;

namespace DecentralizedKD.Core.Tests.Architecture;

public sealed class FolderCycleTests(ITestOutputHelper output)
{
    private static readonly System.Reflection.Assembly Core = typeof(ExperimentConfig).Assembly;

    [Fact]
    public void PrintGraph()
    {
        var graph = FolderDependencies.Of(Core);
        foreach (var (from, edges) in graph)
        foreach (var (to, example) in edges)
            output.WriteLine($"{FolderDependencies.Display(from)} -> {FolderDependencies.Display(to)}   [{example}]");
        foreach (var c in FolderDependencies.StronglyConnected(graph).Where(c => c.Count > 1))
            output.WriteLine("SCC: " + string.Join(", ", c));
        foreach (var c in FolderDependencies.Cycles(graph)) output.WriteLine("CYCLE: " + c);
    }
}
