namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// The typed settings read from the sections of every registered plug-in of one kind: each section is read and
/// range-checked whichever plug-in runs, so a typo in one is never silently ignored, and a plug-in may read another's.
/// </summary>
public sealed class PluginSettings(IReadOnlyList<object> sections)
{
    public static PluginSettings None { get; } = new([]);

    public IReadOnlyList<object> Sections { get; } = sections;

    /// <summary>The settings record of type <typeparamref name="T"/>.</summary>
    public T Get<T>() where T : class =>
        Sections.OfType<T>().FirstOrDefault()
        ?? throw new InvalidOperationException($"no {typeof(T).Name} was read: its plug-in is not registered");
}
