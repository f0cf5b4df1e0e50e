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
        foreach (var (i, line) in HoconCode.Positions(text, source))
        {
            char c = text[i];
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
}
