using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// A method's own block of keys, <c>experiment.algorithm.&lt;Name&gt; { … }</c>: its defaults (HOCON, with comments —
/// they are what a user reads in the resolved config), which of its keys are lists (HOCON cannot tell an empty list
/// from an empty string), and how to read them into a typed settings record.
/// </summary>
public sealed record ConfigSection(string Name, string Defaults, Func<ISettingsReader, object> Read)
{
    /// <summary>Keys (relative to the section) whose value is a list.</summary>
    public IReadOnlyList<string> ListKeys { get; init; } = [];

    /// <summary>Full key prefix, e.g. <c>experiment.algorithm.ccl</c>.</summary>
    public string Path => "experiment.algorithm." + Name;
}
