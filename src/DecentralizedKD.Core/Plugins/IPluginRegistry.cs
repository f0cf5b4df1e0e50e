namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// A registry seen without its descriptor type: what validation (known keys, sections, config.conf) and <c>dkd list</c>
/// need to treat every plug-in kind alike.
/// </summary>
public interface IPluginRegistry
{
    /// <summary>The kind in the singular, as messages say it ("model", "topology kind").</summary>
    string Kind { get; }

    /// <summary>The plural word <c>dkd list</c> takes ("models", "topologies").</summary>
    string ListName { get; }

    /// <summary>The key whose value selects a plug-in of this kind (<c>experiment.model.name</c>).</summary>
    string Key { get; }

    /// <summary>Where this kind's plug-ins' own sections sit (<c>experiment.model</c>).</summary>
    string SectionRoot { get; }

    /// <summary>Every registered plug-in: the built-in ones in documentation order, then the registered ones.</summary>
    IReadOnlyList<IPlugin> Plugins { get; }

    /// <summary>Whether <paramref name="plugin"/> is one of the engine's own (their sections are always in config.conf).</summary>
    bool IsBuiltIn(IPlugin plugin);
}
