using System.Text.RegularExpressions;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Hosting.Tests.Documentation;

/// <summary>
/// The repository must stand on its own: every relative link in README.md and docs/ resolves inside the clone, and no
/// document or source comment sends the reader to design notes that only existed outside it.
/// </summary>
public sealed partial class DocumentationLinkTests
{
    private static readonly string[] OutsideDocuments = ["../shared", "DESIGN.md", "ALGORITHMS.md", "ENGINEERING.md"];

    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_resolves()
    {
        string root = RepositoryRoot.FullName;
        var broken = new List<string>();
        foreach (string file in Documents(root))
        {
            foreach (Match m in MarkdownLink().Matches(File.ReadAllText(file)))
            {
                string target = m.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                string resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                if (!resolved.StartsWith(root, StringComparison.Ordinal) || (!File.Exists(resolved) && !Directory.Exists(resolved)))
                    broken.Add($"{Path.GetRelativePath(root, file)} → {target}");
            }
        }
        Assert.True(broken.Count == 0, "broken links: " + string.Join("; ", broken));
    }

    [Fact]
    public void No_document_or_source_points_outside_the_repository()
    {
        string root = RepositoryRoot.FullName;
        var files = Documents(root)
            .Concat(new[] { "src", "tests", "hocon", "bench" }.Where(d => Directory.Exists(Path.Combine(root, d)))
                .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*", SearchOption.AllDirectories))
                .Where(f => Path.GetExtension(f) is ".cs" or ".conf" or ".py" or ".md" or ".sh")
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
            .Append(Path.Combine(root, "run.sh"))
            .Where(f => Path.GetFileName(f) != $"{nameof(DocumentationLinkTests)}.cs");
        var offending = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => OutsideDocuments.Any(o => x.line.Contains(o, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}")
            .ToList();
        Assert.True(offending.Count == 0, "points outside the repository: " + string.Join(", ", offending));
    }

    private static IEnumerable<string> Documents(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Prepend(Path.Combine(root, "README.md"));


    /// <summary>A Markdown link or image: <c>[text](target)</c> or <c>[text](target#anchor)</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)#\s]+)(#[^)\s]*)?\)")]
    private static partial Regex MarkdownLink();
}
