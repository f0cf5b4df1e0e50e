using System.Globalization;
using Akka.Configuration.Hocon;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Plugins;
using HoconConfig = Akka.Configuration.Config;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// Typed, range-checked reads; every failure is one line naming the full key and what was expected. Keys are relative
/// to <paramref name="prefix"/> ("" = full keys), so a method's descriptor reads its own section by its own key names.
/// </summary>
internal sealed class ConfigReader(HoconConfig config, string prefix = "") : ISettingsReader
{
    public ConfigReader Section(string path) => new(config, Key(path));

    public string Key(string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>The plug-in named by <paramref name="registry"/>'s key (read from the top level).</summary>
    public T Plugin<T>(PluginRegistry<T> registry) where T : class, IPlugin => registry.Get(String(registry.Key));

    /// <summary>The typed settings of the sections of every plug-in registered in <paramref name="registry"/>.</summary>
    public PluginSettings Sections(IPluginRegistry registry) =>
        new(registry.Plugins.Where(p => p.Section is not null).Select(p => p.Section!.Read(Section(p.Section!.Path))).ToArray());

    public T Keyword<T>(string name, KeywordTable<T> table) where T : struct, Enum => table.Parse(String(name), Key(name));

    public string String(string name)
    {
        string key = Key(name);
        var v = config.GetValue(key) ?? throw new InputException($"{key}: missing");
        if (v.IsArray() || v.IsObject()) throw new InputException($"{key}: expected a single value");
        return v.GetString() ?? "";
    }

    public string NonEmptyString(string name)
    {
        string s = String(name);
        return s.Length > 0 ? s : throw new InputException($"{Key(name)}: expected a non-empty string");
    }

    public string OneOf(string name, params string[] allowed)
    {
        string s = String(name);
        return allowed.Contains(s) ? s : throw new InputException($"{Key(name)} = '{s}': expected one of {string.Join(" | ", allowed)}");
    }

    public long Long(string name, long min, long max)
    {
        string key = Key(name);
        string s = String(name);
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            throw new InputException($"{key} = '{s}': expected an integer");
        if (v < min || v > max) throw new InputException($"{key} = {v}: expected an integer in [{min}, {max}]");
        return v;
    }

    public int Int(string name, int min, int max) => (int)Long(name, min, max);

    public double Double(string name, double min, double max)
    {
        string key = Key(name);
        string s = String(name);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new InputException($"{key} = '{s}': expected a number");
        if (v < min || v > max) throw new InputException($"{key} = {v}: expected a number in [{min}, {max}]");
        return v;
    }

    public double PositiveDouble(string name)
    {
        string key = Key(name);
        double v = Double(name, double.MinValue, double.MaxValue);
        return v > 0 ? v : throw new InputException($"{key} = {v}: expected a number > 0");
    }

    public bool Bool(string name)
    {
        string key = Key(name);
        string s = String(name);
        return s switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw new InputException($"{key} = '{s}': expected true or false"),
        };
    }

    public int[] IntList(string name, int min, int max)
    {
        string key = Key(name);
        var v = config.GetValue(key) ?? throw new InputException($"{key}: missing");
        // Akka's HOCON parser does not report an empty list `[]` as an array.
        if (!v.IsArray() && (v.IsEmpty || string.IsNullOrEmpty(v.GetString()))) return [];
        if (!v.IsArray()) throw new InputException($"{key}: expected a list of integers like [1, 2]");
        return v.GetArray().Select(e =>
        {
            string s = e.GetString();
            if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) || x < min || x > max)
                throw new InputException($"{key}: element '{s}' is not an integer in [{min}, {max}]");
            return x;
        }).ToArray();
    }

    public double[] DoubleList(string name, double min, double max)
    {
        string key = Key(name);
        var v = config.GetValue(key) ?? throw new InputException($"{key}: missing");
        if (!v.IsArray() && (v.IsEmpty || string.IsNullOrEmpty(v.GetString()))) return [];
        if (!v.IsArray()) throw new InputException($"{key}: expected a list of numbers like [1.0, 0.5]");
        return v.GetArray().Select(e =>
        {
            string s = e.GetString();
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !(x >= min && x <= max))
                throw new InputException($"{key}: element '{s}' is not a number in [{min}, {max}]");
            return x;
        }).ToArray();
    }

    /// <summary>
    /// A list of HOCON objects (e.g. <c>[{ agents = "0-7", name = lenet5 }]</c>): each element's keys and values, in
    /// order; an empty list is []. <paramref name="example"/> shows the expected shape in the error message.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, HoconValue>> ObjectList(string name, string example)
    {
        string key = Key(name);
        var v = config.GetValue(key) ?? throw new InputException($"{key}: missing");
        if (!v.IsArray() && (v.IsEmpty || (!v.IsObject() && string.IsNullOrEmpty(v.GetString())))) return [];
        if (!v.IsArray()) throw new InputException($"{key}: expected a list like {example}");
        var elements = v.GetArray();
        var objects = new List<IReadOnlyDictionary<string, HoconValue>>();
        for (int k = 0; k < elements.Count; k++)
        {
            if (!elements[k].IsObject()) throw new InputException($"{key}, entry {k + 1}: expected an object like {example}");
            objects.Add(elements[k].GetObject().Items);
        }
        return objects;
    }

    /// <summary>A size: plain bytes, or a number with B, K/KB/KiB, M/MB/MiB, G/GB/GiB (binary units, any case).</summary>
    public long ByteSize(string name, long min, long max)
    {
        string key = Key(name);
        string s = String(name).Trim();
        int split = s.Length;
        while (split > 0 && char.IsLetter(s[split - 1])) split--;
        long unit = s[split..].ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => 0,
        };
        if (unit == 0 || !double.TryParse(s[..split].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            || !double.IsFinite(number) || number * unit > long.MaxValue)
            throw new InputException($"{key} = '{s}': expected a size such as 65536, 512KB or 1MB");
        long v = (long)(number * unit);
        if (v < min || v > max) throw new InputException($"{key} = {s}: expected a size in [{min}, {max}] bytes");
        return v;
    }

    public TimeSpan Duration(string name)
    {
        string key = Key(name);
        string s = String(name);
        try { return config.GetTimeSpan(key); }
        catch (Exception) { throw new InputException($"{key} = '{s}': expected a duration such as 20ms or 1s"); }
    }
}
