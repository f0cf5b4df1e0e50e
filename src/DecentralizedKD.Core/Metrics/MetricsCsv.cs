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

    public static IReadOnlyList<MetricsRow> Read(string path)
    {
        var rows = new List<MetricsRow>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            var c = line.Split(',');
            double D(int i) => double.Parse(c[i], CultureInfo.InvariantCulture);
            rows.Add(new MetricsRow(int.Parse(c[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8),
                long.Parse(c[9], CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    public void Dispose() => _writer.Dispose();
}
