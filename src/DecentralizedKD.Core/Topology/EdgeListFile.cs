using System.Globalization;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Edge-list topology files: one <c>u v</c> pair of 0-based node ids per line (separated by spaces, tabs or a
/// comma), <c>#</c> starts a comment (whole line or trailing), blank lines are ignored. An optional
/// <c># nodes: N</c> header fixes the node count (so isolated or trailing nodes can be declared); without it the
/// count is the largest id + 1. Duplicate edges, in either direction, are merged. Every problem is an
/// <see cref="InputException"/> naming the file and, where there is one, the line.
/// </summary>
public static class EdgeListFile
{
    /// <summary>
    /// Ids beyond the most agents an experiment may have are surely typos: without the bound one stray
    /// "0 2000000000" line would try to allocate per-node arrays of that size.
    /// </summary>
    public const int MaxNodes = ExperimentLimits.MaxAgents;

    private static readonly char[] Separators = [' ', '\t', ','];

    public static Graph Read(string path)
    {
        string[] lines;
        try
        {
            lines = System.IO.File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"topology file '{path}' not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"topology file '{path}' cannot be read: {e.Message}");
        }
        return Parse(lines, path);
    }

    /// <summary>Parses lines already in memory; <paramref name="source"/> names them in error messages.</summary>
    public static Graph Parse(IReadOnlyList<string> lines, string source)
    {
        var edges = new List<(int, int)>();
        int? declared = null;
        int declaredLine = 0, maxId = -1, maxIdLine = 0;
        for (int index = 0; index < lines.Count; index++)
        {
            int lineNo = index + 1;
            string line = lines[index].Trim();
            if (line.StartsWith('#'))
            {
                if (TryHeader(line, source, lineNo) is int n)
                {
                    if (declared is not null)
                        throw new InputException($"topology file '{source}' line {lineNo}: second '# nodes:' header (first on line {declaredLine})");
                    declared = n;
                    declaredLine = lineNo;
                }
                continue;
            }
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash].TrimEnd();
            if (line.Length == 0) continue;

            var (u, v) = ParseEdge(line, source, lineNo);
            edges.Add((u, v));
            if (Math.Max(u, v) > maxId) { maxId = Math.Max(u, v); maxIdLine = lineNo; }
            if (declared is int limit && Math.Max(u, v) >= limit)
                throw new InputException($"topology file '{source}' line {lineNo}: node id {Math.Max(u, v)} is outside 0..{limit - 1} declared by '# nodes: {limit}' on line {declaredLine}");
        }
        // A header below the edges it bounds: report the line of the largest id.
        if (declared is int d && maxId >= d)
            throw new InputException($"topology file '{source}' line {maxIdLine}: node id {maxId} is outside 0..{d - 1} declared by '# nodes: {d}' on line {declaredLine}");
        if (edges.Count == 0 && declared is null)
            throw new InputException($"topology file '{source}': no edges (expected lines 'u v' with 0-based node ids)");
        return new Graph(declared ?? maxId + 1, edges);
    }

    /// <summary>A <c># nodes: N</c> comment, or null for any other comment.</summary>
    private static int? TryHeader(string line, string source, int lineNo)
    {
        string body = line[1..].Trim();
        if (!body.StartsWith("nodes:", StringComparison.OrdinalIgnoreCase)) return null;
        string value = body["nodes:".Length..].Trim();
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0 || n > MaxNodes)
            throw new InputException($"topology file '{source}' line {lineNo}: bad header '{line}', expected '# nodes: N' with N in 1..{MaxNodes}");
        return n;
    }

    private static (int U, int V) ParseEdge(string line, string source, int lineNo)
    {
        var parts = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !TryId(parts[0], out int u) || !TryId(parts[1], out int v))
            throw new InputException($"topology file '{source}' line {lineNo}: expected two node ids 'u v' in 0..{MaxNodes - 1}, got '{line}'");
        if (u == v)
            throw new InputException($"topology file '{source}' line {lineNo}: self-loop '{line}' (a node's own weight comes from the mixing matrix, not from an edge)");
        return (u, v);
    }

    // NumberStyles.None: digits only, so "-1", "+3", "1e3" and "0x10" are rejected as ids rather than reinterpreted.
    private static bool TryId(string s, out int id) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id < MaxNodes;
}
