using DecentralizedKD.Core.Config;

namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// A plug-in's own block of keys, <c>&lt;Root&gt;.&lt;Name&gt; { … }</c> (a method's <c>experiment.algorithm.ccl</c>,
/// the synthetic dataset's <c>experiment.dataset.synthetic</c>): its defaults (HOCON, with comments — they are what a
/// user reads in the resolved config), which of its keys are lists (HOCON cannot tell an empty list from an empty
/// string), and how to read them into a typed settings record. The registry a plug-in belongs to decides
/// <see cref="Root"/> when it accepts the plug-in, so a plug-in author writes only the name.
/// </summary>
public sealed record ConfigSection(string Name, string Defaults, Func<ISettingsReader, object> Read)
{
    /// <summary>Keys (relative to the section) whose value is a list.</summary>
    public IReadOnlyList<string> ListKeys { get; init; } = [];

    /// <summary>Where the section sits: the key of its plug-in kind (see <see cref="PluginRegistry{T}.SectionRoot"/>).</summary>
    public string Root { get; init; } = AlgorithmRoot;

    /// <summary>The root of methods' sections, the default (a method's section needs no root).</summary>
    public const string AlgorithmRoot = "experiment.algorithm";

    /// <summary>Full key prefix, e.g. <c>experiment.algorithm.ccl</c>.</summary>
    public string Path => Root + "." + Name;
}
