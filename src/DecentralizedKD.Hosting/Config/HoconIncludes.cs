using DecentralizedKD.Core;

namespace DecentralizedKD.Hosting.Config;

/// <summary>
/// HOCON <c>include</c> statements are refused, with the file and line. Akka's parser resolves an include only through
/// a callback that is given the bare name, not the including file, so without one it fails with a null reference, and
/// with one a relative name would be resolved against the process's working directory. An experiment or sweep file is
/// also loaded again elsewhere (by every cluster worker, by <c>dkd resume</c> and <c>dkd sweep --resume</c>) where an
/// included file need not exist. One self-contained file, plus <c>--set</c>, is what every one of those loads reads.
/// </summary>
public static class HoconIncludes
{
    private const string Keyword = "include";

    /// <summary>What may follow <c>include</c> in a HOCON include statement (a quoted name or one of the include forms).</summary>
    private static readonly string[] Targets = ["\"", "file(", "url(", "classpath(", "required("];

    public static void Refuse(string text, string source)
    {
        foreach (var (i, line) in HoconCode.Positions(text, source))
            if (IsIncludeAt(text, i))
                throw new InputException($"{source} line {line}: HOCON 'include' is not supported (a cluster worker, dkd resume or a sweep loads this file " +
                                         "again where the included file need not be); put its keys into this file or pass them with --set");
    }

    /// <summary>The unquoted word <c>include</c> at <paramref name="i"/>, standing alone, followed by whitespace and an include target.</summary>
    private static bool IsIncludeAt(string text, int i)
    {
        if (string.CompareOrdinal(text, i, Keyword, 0, Keyword.Length) != 0) return false;
        if (i > 0 && IsWordChar(text[i - 1])) return false;   // part of a longer key: "includes", "x.include"
        int j = i + Keyword.Length;
        if (j >= text.Length || !(text[j] is ' ' or '\t')) return false;   // "include = 3" is a key named include
        while (j < text.Length && text[j] is ' ' or '\t') j++;
        return Targets.Any(t => string.CompareOrdinal(text, j, t, 0, t.Length) == 0);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '$';
}
