namespace DecentralizedKD.Core.Plugins;

/// <summary>
/// Typed, range-checked reads of one config section, by key names relative to it (an algorithm descriptor reads
/// <c>"lambda-model"</c>, the error names <c>experiment.algorithm.ccl.lambda-model</c>). Every failure is one
/// <see cref="InputException"/> line naming the full key and what was expected. Implemented over HOCON by the
/// hosting layer, so the core never parses text.
/// </summary>
public interface ISettingsReader
{
    /// <summary>The full key of <paramref name="name"/> (for messages of checks the descriptor makes itself).</summary>
    string Key(string name);

    string String(string name);
    string NonEmptyString(string name);
    string OneOf(string name, params string[] allowed);
    T Keyword<T>(string name, KeywordTable<T> table) where T : struct, Enum;
    long Long(string name, long min, long max);
    int Int(string name, int min, int max);
    double Double(string name, double min, double max);
    double PositiveDouble(string name);
    bool Bool(string name);
    int[] IntList(string name, int min, int max);
    double[] DoubleList(string name, double min, double max);
    TimeSpan Duration(string name);
}
