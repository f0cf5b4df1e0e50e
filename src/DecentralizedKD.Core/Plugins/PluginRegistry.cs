namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// The plug-ins of one kind. A built-in plug-in is one line in the list the registry is made with; one defined outside
/// the engine (a test, a plug-in assembly) is added with <see cref="Register"/> once before configs are loaded, in
/// every process of a run (cluster workers load the config too). Names and section names are unique; registering the
/// same descriptor type again does nothing, so a test fixture may call it from every test.
/// </summary>
public sealed class PluginRegistry<T> : IPluginRegistry where T : class, IPlugin
{
    private readonly Lock _gate = new();
    private readonly Action<T>? _onRegister;
    private IReadOnlyList<T> _all;

    /// <param name="kind">The kind in the singular, for messages ("partitioner").</param>
    /// <param name="listName">The word <c>dkd list</c> takes ("partitioners").</param>
    /// <param name="key">The key that selects one (<c>experiment.partition.kind</c>).</param>
    /// <param name="sectionRoot">Where the plug-ins' own sections sit (<c>experiment.partition</c>).</param>
    /// <param name="builtIn">The engine's own, in documentation order.</param>
    /// <param name="onRegister">What else registering one later entails (a method's payload codecs), run under the lock.</param>
    public PluginRegistry(string kind, string listName, string key, string sectionRoot, IReadOnlyList<T> builtIn, Action<T>? onRegister = null)
    {
        Kind = kind;
        ListName = listName;
        Key = key;
        SectionRoot = sectionRoot;
        _onRegister = onRegister;
        _all = [];
        foreach (var plugin in builtIn) Add(plugin, notify: false);
        BuiltIn = _all;
    }

    public string Kind { get; }
    public string ListName { get; }
    public string Key { get; }
    public string SectionRoot { get; }

    /// <summary>The engine's own plug-ins, in documentation order.</summary>
    public IReadOnlyList<T> BuiltIn { get; }

    /// <summary>Every registered plug-in: the built-in ones, then the registered ones in registration order.</summary>
    public IReadOnlyList<T> All => _all;

    IReadOnlyList<IPlugin> IPluginRegistry.Plugins => _all;

    public IEnumerable<string> Names => _all.Select(p => p.Name);

    /// <summary>"a | b | c", as error messages and usage lines print the choices.</summary>
    public string Choices => string.Join(" | ", Names);

    /// <summary>Adds a plug-in (see the class comment for what is refused).</summary>
    public void Register(T plugin)
    {
        lock (_gate) Add(plugin, notify: true);
    }

    private void Add(T plugin, bool notify)
    {
        var same = _all.FirstOrDefault(p => p.Name == plugin.Name);
        if (same is not null)
        {
            if (same.GetType() == plugin.GetType()) return;
            throw new ArgumentException($"{Kind} name '{plugin.Name}' is already taken by {same.GetType().Name}");
        }
        if (plugin.Section is { } s)
        {
            if (s.Root != SectionRoot)
                throw new ArgumentException($"{Kind} '{plugin.Name}': its section must sit under {SectionRoot} (Root = \"{SectionRoot}\"), not {s.Root}");
            if (_all.Any(p => p.Section?.Name == s.Name)) throw new ArgumentException($"config section '{s.Path}' is already taken");
        }
        if (notify) _onRegister?.Invoke(plugin);
        _all = [.. _all, plugin];
    }

    public T? Find(string name) => _all.FirstOrDefault(p => p.Name == name);

    /// <summary>The plug-in called <paramref name="name"/>; any other word is one input error naming <see cref="Key"/> and the choices.</summary>
    public T Get(string name) => Find(name) ?? throw new InputException($"{Key} = '{name}': expected one of {Choices}");

    public bool IsBuiltIn(IPlugin plugin) => BuiltIn.Contains(plugin);
}
