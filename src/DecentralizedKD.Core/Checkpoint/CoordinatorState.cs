using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// What the synchronous coordinator carries from round to round: the metrics rows so far (wall_s included, so the
/// resumed metrics.csv repeats them verbatim), per-agent loss sums since the last evaluation (train_loss of the next
/// row depends on them), byte counters, the last per-agent accuracies and the wall time already spent.
/// </summary>
public sealed record CoordinatorState(
    int CompletedRounds,
    double WallSeconds,
    IReadOnlyList<MetricsRow> Rows,
    IReadOnlyList<double> LastAccuracies,
    IReadOnlyList<long> BytesPerAgent,
    IReadOnlyDictionary<string, long> BytesByKind,
    long BytesTotal,
    IReadOnlyList<double> LossSums,
    int LossCount) : IResumeState
{
    public void Write(BinaryWriter w)
    {
        w.WriteTag("coordinator");
        w.Write(CompletedRounds);
        w.Write(WallSeconds);
        MetricsRowState.Write(w, Rows);
        WriteDoubles(w, LastAccuracies);
        w.Write(BytesPerAgent.Count);
        foreach (long b in BytesPerAgent) w.Write(b);
        w.Write(BytesByKind.Count);
        foreach (var (kind, bytes) in BytesByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(kind);
            w.Write(bytes);
        }
        w.Write(BytesTotal);
        WriteDoubles(w, LossSums);
        w.Write(LossCount);
    }

    public static CoordinatorState Read(BinaryReader r, int agents)
    {
        r.ExpectTag("coordinator");
        int completed = r.ReadInt32();
        double wall = r.ReadDouble();
        var rows = MetricsRowState.Read(r);
        var accuracies = ReadDoubles(r, "last accuracies");
        if (accuracies.Length is not 0 && accuracies.Length != agents) throw new InvalidDataException($"{accuracies.Length} accuracies for {agents} agents");
        var bytesPerAgent = new long[Count(r, "bytes per agent", agents)];
        for (int i = 0; i < bytesPerAgent.Length; i++) bytesPerAgent[i] = r.ReadInt64();
        var byKind = new Dictionary<string, long>();
        for (int k = Count(r, "byte kinds"); k > 0; k--) byKind[r.ReadString()] = r.ReadInt64();
        long total = r.ReadInt64();
        var lossSums = ReadDoubles(r, "loss sums", agents);
        return new CoordinatorState(completed, wall, rows, accuracies, bytesPerAgent, byKind, total, lossSums, r.ReadInt32());
    }

    private static void WriteDoubles(BinaryWriter w, IReadOnlyList<double> values)
    {
        w.Write(values.Count);
        foreach (double v in values) w.Write(v);
    }

    private static double[] ReadDoubles(BinaryReader r, string what, int expected = -1)
    {
        var values = new double[Count(r, what, expected)];
        for (int i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
        return values;
    }

    private static int Count(BinaryReader r, string what, int expected = -1)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > 100_000_000 || (expected >= 0 && n != expected))
            throw new InvalidDataException($"{what}: saved count {n}" + (expected >= 0 ? $", this run has {expected}" : ""));
        return n;
    }
}
