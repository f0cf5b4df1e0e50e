using System.Globalization;
using System.Text.RegularExpressions;

namespace DecentralizedKD.Core.Simulation;

/// <summary>Parses link rates such as <c>100Mbps</c>, <c>1Gbps</c>, <c>10MBps</c> (bytes) into bytes per second.</summary>
public static partial class Rates
{
    [GeneratedRegex(@"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([kKmMgGtT]?)(bps|Bps|bit/s|B/s)\s*$")]
    private static partial Regex RatePattern();

    public static double BytesPerSecond(string text, string key)
    {
        var m = RatePattern().Match(text);
        if (!m.Success) throw new InputException($"{key} = '{text}': expected a rate such as 100Mbps, 1Gbps or 10MBps");
        double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        double scale = char.ToLowerInvariant(m.Groups[2].Value.FirstOrDefault()) switch
        {
            'k' => 1e3, 'm' => 1e6, 'g' => 1e9, 't' => 1e12, _ => 1,
        };
        bool bits = m.Groups[3].Value is "bps" or "bit/s";
        double result = value * scale / (bits ? 8 : 1);
        return result > 0 ? result : throw new InputException($"{key} = '{text}': expected a positive rate");
    }
}
