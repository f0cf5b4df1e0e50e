namespace DecentralizedKD.TestSupport;

/// <summary>
/// Trait names and values for <c>[Trait(TestCategories.Category, TestCategories.Slow)]</c>: <c>./run.sh test --fast</c>
/// runs <c>dotnet test --filter "Category!=Slow"</c>, the full suite runs everything.
/// </summary>
public static class TestCategories
{
    public const string Category = "Category";

    /// <summary>
    /// Tests that take more than a few seconds on a 2-core machine: child processes, clusters of ActorSystems, runs of
    /// many rounds or on real Fashion-MNIST.
    /// </summary>
    public const string Slow = "Slow";
}
