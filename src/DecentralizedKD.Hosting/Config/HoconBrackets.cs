using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// Bracket balance of HOCON text. Akka's parser accepts a file that ends inside an object (a forgotten <c>}</c>),
/// silently dropping nothing and running with what it read, so the loader checks the balance itself and names the
/// line of the bracket that is never closed (or closed without being opened). Strings, triple-quoted strings and
/// comments (<c>#</c>, <c>//</c>) are skipped.
/// </summary>
public static class HoconBrackets
{
    public static void Check(string text, string source)
    {
        var open = new Stack<(char Bracket, int Line)>();
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
                i = SkipString(text, i, ref line, source);
                continue;
            }
            if (c is '{' or '[') open.Push((c, line));
            else if (c is '}' or ']')
            {
                char expected = c == '}' ? '{' : '[';
                if (open.Count == 0)
                    throw new InputException($"{source} line {line}: '{c}' without a matching '{expected}'");
                var (bracket, at) = open.Pop();
                if (bracket != expected)
                    throw new InputException($"{source} line {line}: '{c}' closes the '{bracket}' opened on line {at}");
            }
        }
        if (open.Count > 0)
        {
            var (bracket, at) = open.Peek();
            throw new InputException($"{source}: '{bracket}' opened on line {at} is never closed (missing '{(bracket == '{' ? '}' : ']')}')");
        }
    }

    /// <summary>Index of the closing quote of the string starting at <paramref name="start"/>.</summary>
    internal static int SkipString(string text, int start, ref int line, string source)
    {
        int startLine = line;
        if (string.CompareOrdinal(text, start, "\"\"\"", 0, 3) == 0)
        {
            int end = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            if (end < 0) throw new InputException($"{source} line {startLine}: unterminated \"\"\" string");
            line += text.AsSpan(start, end - start).Count('\n');
            return end + 2;
        }
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '"') return i;
            if (text[i] == '\n') break;
        }
        throw new InputException($"{source} line {startLine}: unterminated string");
    }
}
