using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Models;

/// <summary>
/// Everything the engine needs to know about one architecture (<c>model.name</c>), in one class next to it: its name,
/// what inputs it accepts, whether its hidden widths (<c>model.hidden</c>) shape it, what it offers the methods
/// (a feature layer for CCL, auxiliary heads for MHD), and how to build it. A new model is its class, this descriptor
/// and one line in <see cref="ModelRegistry"/> (or <see cref="ModelRegistry.Register"/> from outside the engine).
/// </summary>
public abstract class ModelDescriptor : PluginDescriptor
{
    /// <summary>Whether <c>model.hidden</c> shapes it; then the widths are part of its label (<c>mlp[200,100]</c>).</summary>
    public virtual bool UsesHidden => false;

    /// <summary>
    /// Whether its <see cref="ClassifierModel.Features"/> is a penultimate representation a method may distil on
    /// (CCL's class-conditional features need it).
    /// </summary>
    public virtual bool HasFeatureLayer => true;

    /// <summary>Whether it may carry auxiliary heads on its feature layer (<c>model.heads</c> &gt; 1, MHD).</summary>
    public virtual bool SupportsHeads => true;

    /// <summary>
    /// Checks the inputs and settings before a model is built: one <see cref="InputException"/> line for what it
    /// cannot take (e.g. non-square images). Shape, classes and heads are checked for every model before this.
    /// </summary>
    public virtual void Check(ModelSpec spec) { }

    public override IReadOnlyList<string> Facts =>
    [
        HasFeatureLayer ? "feature layer (CCL)" : "no feature layer",
        SupportsHeads ? "auxiliary heads (model.heads, MHD)" : "one head only",
        .. UsesHidden ? ["hidden widths model.hidden"] : Array.Empty<string>(),
    ];

    /// <summary>Builds the single-head architecture for <paramref name="spec"/> (weights are re-initialised after this).</summary>
    public abstract ClassifierModel Build(ModelSpec spec);

    /// <summary>A section under <c>experiment.model</c>, for a model with keys of its own.</summary>
    protected static ConfigSection OwnSection(string name, string defaults, Func<Plugins.ISettingsReader, object> read, IReadOnlyList<string>? listKeys = null) =>
        SectionUnder(ModelRegistry.SectionRoot, name, defaults, read, listKeys);
}
