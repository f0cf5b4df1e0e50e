using System.Globalization;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Per-link latency overrides: lines <c>from to dist a [b]</c> with durations in <c>ms</c> or <c>s</c>, e.g.
/// <c>0 1 constant 50ms</c>, <c>3 4 uniform 5ms 80ms</c>, <c>2 7 exponential 30ms</c>, <c>5 6 lognormal 20ms 0.8</c>.
/// Directed: add both directions for a symmetric slow link. <c>#</c> starts a comment.
/// </summary>
public static class LinkOverridesFile
{
    public static Dictionary<(int From, int To), LatencyDistribution> Read(string path, int agents)
    {
        if (!File.Exists(path)) throw new InputException($"link overrides file '{path}' not found");
        var result = new Dictionary<(int, int), LatencyDistribution>();
        int lineNo = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var p = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string where = $"link overrides file '{path}' line {lineNo}";
            if (p.Length < 4 || !int.TryParse(p[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int from)
                || !int.TryParse(p[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int to))
                throw new InputException($"{where}: expected 'from to dist value [value]', got '{raw.Trim()}'");
            if (from < 0 || to < 0 || from >= agents || to >= agents || from == to)
                throw new InputException($"{where}: link {from}->{to} is not between two distinct agents 0..{agents - 1}");
            double Seconds(int k) => k < p.Length ? Duration(p[k], where) : throw new InputException($"{where}: missing value for '{p[2]}'");
            if (!LatencyDistribution.Kinds.TryParse(p[2], out var kind))
                throw new InputException($"{where}: dist '{p[2]}' is not one of {LatencyDistribution.Kinds.Choices}");
            result[(from, to)] = kind switch
            {
                LatencyKind.Constant => LatencyDistribution.Create(kind, Seconds(3), 0, 0, 0, 0, 0),
                LatencyKind.Uniform => LatencyDistribution.Create(kind, 0, Seconds(3), Seconds(4), 0, 0, 0),
                LatencyKind.Exponential => LatencyDistribution.Create(kind, 0, 0, 0, Seconds(3), 0, 0),
                _ => LatencyDistribution.Create(kind, 0, 0, 0, 0, Seconds(3),
                    p.Length > 4 && double.TryParse(p[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double sigma) ? sigma
                        : throw new InputException($"{where}: lognormal needs a sigma after the median")),
            };
        }
        return result;
    }

    private static double Duration(string text, string where)
    {
        double scale = text.EndsWith("ms", StringComparison.Ordinal) ? 1e-3 : text.EndsWith('s') ? 1 : double.NaN;
        string number = text.EndsWith("ms", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('s') ? text[..^1] : text;
        if (double.IsNaN(scale) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0)
            throw new InputException($"{where}: '{text}' is not a duration like 20ms or 0.5s");
        return v * scale;
    }
}
