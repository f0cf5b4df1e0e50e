using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// <see cref="AsyncMetrics"/> at a checkpoint. Row r needs every agent's model after its r-th iteration, so a row is
/// often incomplete when a checkpoint is taken: the reports already in (parameters included) are saved with it.
/// </summary>
public sealed record AsyncMetricsState(
    IReadOnlyList<MetricsRow> Rows,
    IReadOnlyList<(int Round, AsyncMetrics.Report?[] Reports)> Pending,
    IReadOnlyList<double> LastAccuracies,
    IReadOnlyList<float[]?> LastParameters,
    double WallSeconds)
{
    public void Write(BinaryWriter w)
    {
        w.WriteTag("async-metrics");
        MetricsRowState.Write(w, Rows);
        w.Write(Pending.Count);
        foreach (var (round, reports) in Pending)
        {
            w.Write(round);
            w.Write(reports.Length);
            foreach (var report in reports)
            {
                w.Write(report is not null);
                if (report is null) continue;
                w.Write(report.Time);
                w.Write(report.Accuracy);
                w.WriteFloats(report.Parameters);
                w.Write(report.LossSum);
                w.Write(report.Iterations);
                w.Write(report.Bytes);
            }
        }
        w.Write(LastAccuracies.Count);
        foreach (double a in LastAccuracies) w.Write(a);
        w.Write(LastParameters.Count);
        foreach (var p in LastParameters)
        {
            w.Write(p is not null);
            if (p is not null) w.WriteFloats(p);
        }
        w.Write(WallSeconds);
    }

    public static AsyncMetricsState Read(BinaryReader r)
    {
        r.ExpectTag("async-metrics");
        var rows = MetricsRowState.Read(r);
        var pending = new (int, AsyncMetrics.Report?[])[r.ReadCount(8, "pending rows")];
        for (int k = 0; k < pending.Length; k++)
        {
            int round = r.ReadInt32();
            var reports = new AsyncMetrics.Report?[r.ReadCount(1, "pending reports")];
            for (int i = 0; i < reports.Length; i++)
                if (r.ReadBoolean())
                    reports[i] = new AsyncMetrics.Report(r.ReadDouble(), r.ReadDouble(), r.ReadFloatArray("reported parameters"), r.ReadDouble(), r.ReadInt32(), r.ReadInt64());
            pending[k] = (round, reports);
        }
        var accuracies = new double[r.ReadCount(8, "last accuracies")];
        for (int i = 0; i < accuracies.Length; i++) accuracies[i] = r.ReadDouble();
        var parameters = new float[]?[r.ReadCount(1, "last parameters")];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = r.ReadBoolean() ? r.ReadFloatArray("last parameters") : null;
        return new AsyncMetricsState(rows, pending, accuracies, parameters, r.ReadDouble());
    }
}
