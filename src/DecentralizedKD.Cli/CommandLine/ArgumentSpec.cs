namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// One positional argument of a dkd command, declared once: the parser accepts at most as many positionals as the
/// command declares (any number when the last one is <see cref="Repeatable"/>), and the help shows and describes it.
/// </summary>
/// <param name="Required">Required in every usage form that shows it (e.g. SWEEP in <c>dkd sweep SWEEP</c>, absent in <c>dkd sweep --resume DIR</c>).</param>
public sealed record ArgumentSpec(string Name, string Description, bool Required = true, bool Repeatable = false)
{
    /// <summary>The argument as a usage line shows it: <c>CONFIG</c>, <c>[DIR]</c>, <c>RUN_DIR...</c>.</summary>
    public string Synopsis
    {
        get
        {
            string text = Repeatable ? Name + "..." : Name;
            return Required ? text : $"[{text}]";
        }
    }
}
