namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// The exact words a config or command line uses for the values of one enum, in documentation order. One table per
/// setting keeps the parser, the error message, the usage text and what summaries print from ever disagreeing, and
/// lets everything after loading compare enum values instead of strings.
/// </summary>
public sealed class KeywordTable<T> where T : struct, Enum
{
    private readonly (string Name, T Value)[] _entries;

    public KeywordTable(params (string Name, T Value)[] entries)
    {
        _entries = entries;
        Names = Array.AsReadOnly(entries.Select(e => e.Name).ToArray());
    }

    /// <summary>Every accepted word, in documentation order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>"a | b | c", as error messages and usage lines print the choices.</summary>
    public string Choices => string.Join(" | ", Names);

    public bool TryParse(string text, out T value)
    {
        foreach (var (name, v) in _entries)
            if (name == text) { value = v; return true; }
        value = default;
        return false;
    }

    /// <summary>Parses an exact (case-sensitive) word; anything else is an input error naming <paramref name="key"/>.</summary>
    public T Parse(string text, string key) =>
        TryParse(text, out var v) ? v : throw new InputException($"{key} = '{text}': expected one of {Choices}");

    public string NameOf(T value)
    {
        foreach (var (name, v) in _entries)
            if (EqualityComparer<T>.Default.Equals(v, value)) return name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(T).Name}");
    }
}
