using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// The positions of HOCON text that are code: outside comments (<c>#</c>, <c>//</c>), quoted and triple-quoted
/// strings, and line breaks, each with its line number. The checks the loader makes before Akka's parser sees a file
/// (bracket balance, refused <c>include</c>s) walk this, so they agree on what is a comment or a string.
/// </summary>
internal static class HoconCode
{
    public static IEnumerable<(int Index, int Line)> Positions(string text, string source)
    {
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') { line++; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '"')
            {
                (i, int lines) = SkipString(text, i, line, source);
                line += lines;
                continue;
            }
            yield return (i, line);
        }
    }

    /// <summary>Index of the closing quote of the string starting at <paramref name="start"/>, and the line breaks inside it.</summary>
    private static (int End, int Lines) SkipString(string text, int start, int line, string source)
    {
        if (string.CompareOrdinal(text, start, "\"\"\"", 0, 3) == 0)
        {
            int end = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            if (end < 0) throw new InputException($"{source} line {line}: unterminated \"\"\" string");
            return (end + 2, text.AsSpan(start, end - start).Count('\n'));
        }
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '"') return (i, 0);
            if (text[i] == '\n') break;
        }
        throw new InputException($"{source} line {line}: unterminated string");
    }
}
