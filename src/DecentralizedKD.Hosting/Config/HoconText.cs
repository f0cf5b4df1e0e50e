namespace DecentralizedKD.Hosting.Config;

/// <summary>Writing HOCON text: what the resolved config (config.conf) and the resolved sweep (sweep.conf) are made of.</summary>
internal static class HoconText
{
    /// <summary>A quoted HOCON string holding exactly <paramref name="s"/>.</summary>
    public static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
