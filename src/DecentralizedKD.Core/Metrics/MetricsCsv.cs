using System.Globalization;

namespace DecentralizedKD.Core.Metrics;

/// <summary>
/// metrics.csv writer. Numbers use round-trip formatting so that two runs with the same seed produce byte-identical
/// files (every column but wall_s), which is how determinism is tested.
/// </summary>
public sealed class MetricsCsv : IDisposable
{
    public const string Header = "round,virtual_time_s,wall_s,mean_acc,min_acc,max_acc,avg_model_acc,train_loss,consensus_distance,bytes_sent";
    private readonly StreamWriter _writer;

    public MetricsCsv(string path)
    {
        _writer = new StreamWriter(path, append: false) { NewLine = "\n" };
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    public void Append(MetricsRow row)
    {
        _writer.WriteLine(Format(row));
        _writer.Flush();
    }

    public static string Format(MetricsRow r) => string.Join(',',
        r.Round.ToString(CultureInfo.InvariantCulture), F(r.VirtualTimeS), r.WallS.ToString("F3", CultureInfo.InvariantCulture),
        F(r.MeanAcc), F(r.MinAcc), F(r.MaxAcc), F(r.AvgModelAcc), F(r.TrainLoss), F(r.ConsensusDistance),
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
        long L(int i) => long.TryParse(c[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
            ? v : throw new InputException($"metrics file '{path}' line {lineNo}: column {i + 1} '{c[i]}' is not an integer");
        return new MetricsRow((int)L(0), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), L(9));
    }

    public void Dispose() => _writer.Dispose();
}
