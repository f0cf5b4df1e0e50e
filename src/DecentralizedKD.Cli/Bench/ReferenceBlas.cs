namespace DecentralizedKD.Cli.Bench;

/// <summary>
/// Which BLAS the PyTorch reference ran on, from the library paths it reports. Debian's default, the netlib reference
/// BLAS (package libblas3, <c>…/blas/libblas.so.3</c>), is an unoptimised implementation that makes the reference
/// run about twice as slow, so any ratio against it flatters the engine.
/// </summary>
public static class ReferenceBlas
{
    private static readonly string[] Optimised = ["openblas", "mkl", "blis", "atlas"];

    /// <summary>True when the netlib library is mapped and no optimised BLAS is.</summary>
    public static bool IsNetlib(string loaded)
    {
        var paths = loaded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (paths.Any(p => Optimised.Any(o => p.Contains(o, StringComparison.OrdinalIgnoreCase)))) return false;
        // Debian installs the netlib library as <libdir>/blas/libblas.so.3 (the alternatives target).
        return paths.Any(p => Path.GetFileName(p).StartsWith("libblas.so", StringComparison.Ordinal)
                              && Path.GetFileName(Path.GetDirectoryName(p)) == "blas");
    }

    public static string Warning(string loaded) =>
        $"warning: the PyTorch reference ran on the netlib reference BLAS ({loaded}); ratios against it flatter the engine. " +
        $"Install OpenBLAS: {PythonReference.InstallCommand}";
}
