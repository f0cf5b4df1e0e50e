using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace DecentralizedKD.Hosting;

/// <summary>
/// HOCON built from typed values, one <c>path = value</c> line per setting: strings are always quoted and escaped (a
/// hostname or a role can neither end its value nor start another key), numbers are written in the invariant culture,
/// sizes in bytes, durations in milliseconds, switches as on/off. What the engine works out at start-up (a node's
/// address, frame size, roles, failure-detector pause, compute threads) goes into the actor-system config through this,
/// never through string interpolation.
/// </summary>
public sealed partial class HoconBuilder
{
    private readonly StringBuilder _text = new();

    /// <summary>A path is code, never input: dot-separated keys of letters, digits, '-' and '_'.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex PathPattern();

    public HoconBuilder Set(string path, string value) => Line(path, Quote(value));

    public HoconBuilder Set(string path, long value) => Line(path, value.ToString(CultureInfo.InvariantCulture));

    public HoconBuilder Set(string path, bool value) => Line(path, value ? "on" : "off");

    /// <summary>A duration, in whole milliseconds (Akka reads "250ms").</summary>
    public HoconBuilder Set(string path, TimeSpan value) =>
        Line(path, ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms");

    public HoconBuilder Set(string path, IEnumerable<string> values) => Line(path, "[" + string.Join(", ", values.Select(Quote)) + "]");

    /// <summary>A size in bytes (Akka reads "1114112b").</summary>
    public HoconBuilder SetBytes(string path, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return Line(path, bytes.ToString(CultureInfo.InvariantCulture) + "b");
    }

    public Akka.Configuration.Config Build() => ConfigurationFactory.ParseString(_text.ToString());

    public override string ToString() => _text.ToString();

    /// <summary>A quoted HOCON (JSON) string holding exactly <paramref name="s"/>, control characters included.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private HoconBuilder Line(string path, string value)
    {
        if (!PathPattern().IsMatch(path)) throw new ArgumentException($"not a HOCON path of plain keys: '{path}'", nameof(path));
        _text.Append(path).Append(" = ").Append(value).Append('\n');
        return this;
    }
}
