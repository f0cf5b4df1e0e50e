using System.Globalization;

namespace DecentralizedKD.Core.Metrics;

/// <summary>
/// metrics.csv writer. Numbers use round-trip formatting so that two runs with the same seed produce byte-identical
/// files (every column but wall_s), which is how determinism is tested. In a run whose agents have different models
/// avg_model_acc and consensus_distance are empty cells: there is no averaged model (a NaN there would read as a
/// diverged run).
/// </summary>
public sealed class MetricsCsv : IDisposable
{
    public const string Header = "round,virtual_time_s,wall_s,mean_acc,min_acc,max_acc,avg_model_acc,train_loss,consensus_distance,bytes_sent";
    private const int AvgModelColumn = 6, ConsensusColumn = 8;
    private readonly StreamWriter _writer;
    private readonly bool _averagedModel;

    /// <param name="averagedModel">false when agents' models differ: the averaged-model columns stay empty.</param>
    public MetricsCsv(string path, bool averagedModel = true)
    {
        _averagedModel = averagedModel;
        _writer = new StreamWriter(path, append: false) { NewLine = "\n" };
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    public void Append(MetricsRow row)
    {
        _writer.WriteLine(Format(row, _averagedModel));
        _writer.Flush();
    }

    public static string Format(MetricsRow r, bool averagedModel = true) => string.Join(',',
        r.Round.ToString(CultureInfo.InvariantCulture), F(r.VirtualTimeS), r.WallS.ToString("F3", CultureInfo.InvariantCulture),
        F(r.MeanAcc), F(r.MinAcc), F(r.MaxAcc), averagedModel ? F(r.AvgModelAcc) : "", F(r.TrainLoss), averagedModel ? F(r.ConsensusDistance) : "",
        r.BytesSent.ToString(CultureInfo.InvariantCulture));

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a metrics.csv back (for <c>dkd compare</c>). A missing file, another header or a malformed row is an
    /// <see cref="InputException"/> naming the file and line: such files come from users' results folders.
    /// </summary>
    public static IReadOnlyList<MetricsRow> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"metrics file '{path}' not found");
        var rows = new List<MetricsRow>();
        int lineNo = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNo++;
            if (lineNo == 1)
            {
                if (line.TrimEnd('\r') != Header)
                    throw new InputException($"metrics file '{path}': line 1 is not the metrics.csv header '{Header}'");
                continue;
            }
            if (line.Length == 0) continue;
            rows.Add(ParseRow(line.TrimEnd('\r'), path, lineNo));
        }
        if (lineNo == 0) throw new InputException($"metrics file '{path}' is empty");
        return rows;
    }

    private static MetricsRow ParseRow(string line, string path, int lineNo)
    {
        var c = line.Split(',');
        if (c.Length != 10) throw new InputException($"metrics file '{path}' line {lineNo}: expected 10 comma-separated values, got {c.Length}");
        double D(int i) => double.TryParse(c[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v : throw new InputException($"metrics file '{path}' line {lineNo}: column {i + 1} '{c[i]}' is not a number");
        // An empty averaged-model cell: the run had none (agents with different models), read as NaN = n/a.
        double Optional(int i) => c[i].Length == 0 ? double.NaN : D(i);
        long L(int i) => long.TryParse(c[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
            ? v : throw new InputException($"metrics file '{path}' line {lineNo}: column {i + 1} '{c[i]}' is not an integer");
        return new MetricsRow((int)L(0), D(1), D(2), D(3), D(4), D(5), Optional(AvgModelColumn), D(7), Optional(ConsensusColumn), L(9));
    }

    public void Dispose() => _writer.Dispose();
}
