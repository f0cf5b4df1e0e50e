namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// What every kind of plug-in descriptor (method, model, dataset, partitioner, topology kind, schedule) has in common:
/// the config word, the one-line description, optionally its own section, and the facts <c>dkd list</c> prints. Each
/// kind's base class derives from this and adds what the engine needs of that kind.
/// </summary>
public abstract class PluginDescriptor : IPlugin
{
    public abstract string Name { get; }
    public abstract string Description { get; }

    /// <summary>Its own keys under its kind's section root; null for none (see each kind's <c>OwnSection</c>).</summary>
    public virtual ConfigSection? Section => null;

    public abstract IReadOnlyList<string> Facts { get; }

    /// <summary>A section named <paramref name="name"/> under <paramref name="root"/> (each kind's <c>OwnSection</c> gives its root).</summary>
    protected static ConfigSection SectionUnder(string root, string name, string defaults, Func<ISettingsReader, object> read, IReadOnlyList<string>? listKeys) =>
        new(name, defaults, read) { Root = root, ListKeys = listKeys ?? [] };

    public override string ToString() => Name;
}
