using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Metrics;

/// <summary>Metrics rows in checkpoint files, every column as raw bits (wall_s included: the resumed metrics.csv repeats them verbatim).</summary>
public static class MetricsRowState
{
    public static void Write(BinaryWriter w, IReadOnlyList<MetricsRow> rows)
    {
        w.Write(rows.Count);
        foreach (var r in rows)
        {
            w.Write(r.Round);
            foreach (double v in new[] { r.VirtualTimeS, r.WallS, r.MeanAcc, r.MinAcc, r.MaxAcc, r.AvgModelAcc, r.TrainLoss, r.ConsensusDistance })
                w.Write(v);
            w.Write(r.BytesSent);
        }
    }

    public static MetricsRow[] Read(BinaryReader r)
    {
        var rows = new MetricsRow[r.ReadCount(76, "metrics rows")];
        for (int k = 0; k < rows.Length; k++)
        {
            int round = r.ReadInt32();
            var v = new double[8];
            for (int i = 0; i < v.Length; i++) v[i] = r.ReadDouble();
            rows[k] = new MetricsRow(round, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], r.ReadInt64());
        }
        return rows;
    }
}
