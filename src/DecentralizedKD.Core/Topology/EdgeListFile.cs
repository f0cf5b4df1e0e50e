using System.Globalization;

namespace DecentralizedKD.Core.Topology;

/// <summary>
/// Edge-list files: one <c>u v</c> pair per line (0-based ids), <c>#</c> comments and blank lines ignored, optional
/// <c># nodes: N</c> header (otherwise N = max id + 1). Every malformed line is reported with file and line number.
/// </summary>
public static class EdgeListFile
{
    public static Graph Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new InputException($"topology file '{path}' not found");
        var edges = new List<(int, int)>();
        int? declared = null;
        int maxId = -1, lineNo = 0;
        foreach (string raw in System.IO.File.ReadLines(path))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.StartsWith('#'))
            {
                string body = line[1..].Trim();
                if (body.StartsWith("nodes:", StringComparison.OrdinalIgnoreCase))
                {
                    if (!int.TryParse(body[6..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n <= 0)
                        throw new InputException($"topology file '{path}' line {lineNo}: bad '# nodes:' header, expected a positive integer");
                    declared = n;
                }
                continue;
            }
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int u)
                || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
                || u < 0 || v < 0)
                throw new InputException($"topology file '{path}' line {lineNo}: expected two non-negative node ids 'u v', got '{raw.Trim()}'");
            if (u == v) throw new InputException($"topology file '{path}' line {lineNo}: self-loop {u}-{v} (self weights come from the mixing matrix)");
            edges.Add((u, v));
            maxId = Math.Max(maxId, Math.Max(u, v));
        }
        if (edges.Count == 0 && declared is null) throw new InputException($"topology file '{path}': no edges");
        int nodes = declared ?? maxId + 1;
        if (maxId >= nodes) throw new InputException($"topology file '{path}': node id {maxId} >= declared node count {nodes}");
        return new Graph(nodes, edges);
    }
}
