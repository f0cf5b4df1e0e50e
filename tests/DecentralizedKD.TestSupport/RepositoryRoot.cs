namespace DecentralizedKD.TestSupport;

/// <summary>The checkout the tests were built from: where the shipped configs, topologies and the solution live.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        // Tests run from tests/X/bin/CONFIG/TFM: walk up to the folder that holds the solution.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DecentralizedKD.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no DecentralizedKD.sln above {AppContext.BaseDirectory}: repository root not found");
    });

    /// <summary>The repository root's full path.</summary>
    public static string FullName => Found.Value;
}
