using System.Globalization;
using DecentralizedKD.Core;
using HoconConfig = Akka.Configuration.Config;

namespace DecentralizedKD.Cluster.Config;

/// <summary>Typed, range-checked reads; every failure is one line naming the key and what was expected.</summary>
internal sealed class ConfigReader(HoconConfig config)
{
    public string String(string key)
    {
        var v = config.GetValue(key) ?? throw new InputException($"{key}: missing");
        if (v.IsArray() || v.IsObject()) throw new InputException($"{key}: expected a single value");
        return v.GetString() ?? "";
    }

    public string NonEmptyString(string key)
    {
        string s = String(key);
        return s.Length > 0 ? s : throw new InputException($"{key}: expected a non-empty string");
    }

    public string OneOf(string key, params string[] allowed)
    {
        string s = String(key);
        return allowed.Contains(s) ? s : throw new InputException($"{key} = '{s}': expected one of {string.Join(" | ", allowed)}");
    }

    public long Long(string key, long min, long max)
    {
        string s = String(key);
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            throw new InputException($"{key} = '{s}': expected an integer");
        if (v < min || v > max) throw new InputException($"{key} = {v}: expected an integer in [{min}, {max}]");
        return v;
    }

    public int Int(string key, int min, int max) => (int)Long(key, min, max);

    public double Double(string key, double min, double max)
    {
        string s = String(key);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new InputException($"{key} = '{s}': expected a number");
        if (v < min || v > max) throw new InputException($"{key} = {v}: expected a number in [{min}, {max}]");
        return v;
    }

    public double PositiveDouble(string key)
    {
        double v = Double(key, double.MinValue, double.MaxValue);
        return v > 0 ? v : throw new InputException($"{key} = {v}: expected a number > 0");
    }

    public bool Bool(string key)
    {
        string s = String(key);
        return s switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw new InputException($"{key} = '{s}': expected true or false"),
        };
    }

    public int[] IntList(string key, int min, int max)
    {
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

    public double[] DoubleList(string key, double min, double max)
    {
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

    /// <summary>A size: plain bytes, or a number with B, K/KB/KiB, M/MB/MiB, G/GB/GiB (binary units, any case).</summary>
    public long ByteSize(string key, long min, long max)
    {
        string s = String(key).Trim();
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

    public TimeSpan Duration(string key)
    {
        string s = String(key);
        try { return config.GetTimeSpan(key); }
        catch (Exception) { throw new InputException($"{key} = '{s}': expected a duration such as 20ms or 1s"); }
    }
}
