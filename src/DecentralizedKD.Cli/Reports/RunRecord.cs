using System.Globalization;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Metrics;

namespace DecentralizedKD.Cli.Reports;

/// <summary>
/// One finished run read back from its results directory: metrics.csv rows plus, from config.conf, its name,
/// algorithm and number of agents (falling back to the directory name and agents.csv when config.conf is absent).
/// </summary>
public sealed record RunRecord(string Directory, string Name, string Algorithm, int? Agents, IReadOnlyList<MetricsRow> Rows)
{
    public static RunRecord Read(string dir)
    {
        if (!System.IO.Directory.Exists(dir)) throw new InputException($"run directory '{dir}' not found");
        string metrics = Path.Combine(dir, "metrics.csv");
        if (!File.Exists(metrics)) throw new InputException($"run directory '{dir}' has no metrics.csv (not a dkd results directory)");
        var rows = MetricsCsv.Read(metrics);
        if (rows.Count == 0) throw new InputException($"metrics file '{metrics}' has no rows (the run ended before its first evaluation)");
        var config = ReadResolvedConfig(Path.Combine(dir, "config.conf"));
        string full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        string name = config.GetValueOrDefault("experiment.name") ?? Path.GetFileName(full);
        string algorithm = config.GetValueOrDefault("experiment.algorithm.name") ?? "?";
        if (config.GetValueOrDefault("experiment.mode") is string mode && RunModes.Table.TryParse(mode, out var m) && m != RunMode.Sync) algorithm += $" ({mode})";
        int? agents = int.TryParse(config.GetValueOrDefault("experiment.agents"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : AgentsFromAgentsCsv(Path.Combine(dir, "agents.csv"));
        return new RunRecord(full, name, algorithm, agents, rows);
    }

    /// <summary>
    /// The runs to compare: <see cref="Expand"/>'s run directories, except that a sweep folder (sweep.csv with runs/
    /// inside) stands for its cells, each the mean over its finished seeds at every round they all evaluated.
    /// </summary>
    public static IReadOnlyList<RunRecord> ReadAll(IEnumerable<string> dirs)
    {
        var records = new List<RunRecord>();
        foreach (string dir in dirs)
        {
            string runs = Path.Combine(dir, "runs");
            if (File.Exists(Path.Combine(dir, "sweep.csv")) && System.IO.Directory.Exists(runs))
            {
                foreach (string cell in System.IO.Directory.EnumerateDirectories(runs).Order(StringComparer.Ordinal))
                {
                    var seeds = System.IO.Directory.EnumerateDirectories(cell)
                        .Where(d => File.Exists(Path.Combine(d, "metrics.csv")) && File.Exists(Path.Combine(d, ".sweep-complete")))
                        .Order(StringComparer.Ordinal).Select(Read).ToArray();
                    if (seeds.Length > 0) records.Add(MeanOverSeeds(cell, seeds));
                }
                continue;
            }
            records.AddRange(Expand([dir]).Select(Read));
        }
        return records;
    }

    private static RunRecord MeanOverSeeds(string cellDir, RunRecord[] seeds)
    {
        var rounds = Sweeps.SweepResults.CommonRounds(seeds.Select(s => s.Rows));
        double Mean(int round, Func<MetricsRow, double> of) => seeds.Average(s => of(s.Rows.First(r => r.Round == round)));
        var rows = rounds.Select(round => new MetricsRow(round, Mean(round, r => r.VirtualTimeS), Mean(round, r => r.WallS), Mean(round, r => r.MeanAcc),
            Mean(round, r => r.MinAcc), Mean(round, r => r.MaxAcc), Mean(round, r => r.AvgModelAcc), Mean(round, r => r.TrainLoss),
            Mean(round, r => r.ConsensusDistance), (long)Math.Round(Mean(round, r => r.BytesSent)))).ToArray();
        if (rows.Length == 0) throw new InputException($"sweep cell '{cellDir}': its seeds share no evaluated round");
        string cell = Path.GetFileName(cellDir);
        return new RunRecord(cellDir, $"{cell} (mean of {seeds.Length} seeds)", seeds[0].Algorithm, seeds[0].Agents, rows);
    }

    /// <summary>
    /// The runs named on the command line: a directory holding metrics.csv is one run; a directory without one but
    /// with run directories inside (what <c>dkd default-run</c> writes) stands for all of them, in name order.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> dirs)
    {
        var runs = new List<string>();
        foreach (string dir in dirs)
        {
            if (!System.IO.Directory.Exists(dir)) throw new InputException($"run directory '{dir}' not found");
            if (File.Exists(Path.Combine(dir, "metrics.csv"))) { runs.Add(dir); continue; }
            var inner = System.IO.Directory.EnumerateDirectories(dir)
                .Where(d => File.Exists(Path.Combine(d, "metrics.csv")))
                .Order(StringComparer.Ordinal).ToList();
            if (inner.Count == 0) throw new InputException($"run directory '{dir}' has no metrics.csv, nor do its subdirectories (not a dkd results directory)");
            runs.AddRange(inner);
        }
        return runs;
    }

    /// <summary>config.conf as written by the loader: one <c>key = "value"</c> line per key.</summary>
    private static Dictionary<string, string> ReadResolvedConfig(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        foreach (string line in File.ReadLines(path))
        {
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (line.StartsWith('#') || eq <= 0) continue;
            string value = line[(eq + 3)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1].Replace("\\\"", "\"").Replace("\\\\", "\\");
            values[line[..eq].Trim()] = value;
        }
        return values;
    }

    private static int? AgentsFromAgentsCsv(string path) =>
        File.Exists(path) ? Math.Max(0, File.ReadLines(path).Count(l => l.Length > 0) - 1) is int n and > 0 ? n : null : null;
}
