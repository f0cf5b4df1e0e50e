namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// What every plug-in of every kind (method, model, dataset, partitioner, topology kind, schedule) tells the engine
/// about itself: the word a config uses for it, one line for listings and usage texts, and optionally its own block
/// of config keys.
/// </summary>
public interface IPlugin
{
    /// <summary>The config word that selects it (<c>model.name = lenet5</c>).</summary>
    string Name { get; }

    /// <summary>One line for <c>dkd list</c>, usage texts and docs: what it is, with its source.</summary>
    string Description { get; }

    /// <summary>Its own keys under its kind's section root, or null when it has none.</summary>
    ConfigSection? Section { get; }

    /// <summary>What it needs and offers, one short phrase each, for <c>dkd list</c> (read from its properties).</summary>
    IReadOnlyList<string> Facts { get; }
}
