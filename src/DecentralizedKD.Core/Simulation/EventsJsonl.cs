using System.Globalization;
using System.Text;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// events.jsonl: one JSON object per line for every delivery, drop, message lost to an offline receiver, combine
/// (with the staleness of each neighbour's payload: iterations behind the agent, negative when ahead, null = never heard from) and churn transition. Numbers use
/// round-trip formatting, so the same seed gives a byte-identical file. A resumed run continues the file at the length
/// its checkpoint recorded (<see cref="Continue"/>), so lines written after the checkpoint by the interrupted process
/// are dropped and written again, identically.
/// </summary>
public sealed class EventsJsonl : ICheckpointedLog, IDisposable
{
    private readonly FileStream _file;
    private readonly StreamWriter _writer;

    public EventsJsonl(string path) : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)) { }

    private EventsJsonl(FileStream file)
    {
        _file = file;
        _writer = new StreamWriter(file, new UTF8Encoding(false)) { NewLine = "\n" };
    }

    /// <summary>Opens an existing events.jsonl cut to <paramref name="length"/> bytes (the checkpoint's position).</summary>
    public static EventsJsonl Continue(string path, long length)
    {
        if (!File.Exists(path)) throw new InputException($"'{path}' not found: the checkpoint continues it (at {length} bytes)");
        var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        if (file.Length < length)
        {
            long found = file.Length;
            file.Dispose();
            throw new InputException($"'{path}' has {found} bytes, fewer than the {length} its checkpoint recorded");
        }
        file.SetLength(length);
        file.Seek(length, SeekOrigin.Begin);
        return new EventsJsonl(file);
    }

    public long FlushToDisk()
    {
        _writer.Flush();
        _file.Flush(flushToDisk: true);
        return _file.Position;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent) =>
        _writer.WriteLine($"{{\"event\":\"evaluate\",\"agent\":{agent},\"round\":{completed},\"t\":{F(time)},\"accuracy\":{F(accuracy)}}}");

    public void OnDelivered(int from, int to, int round, double sendTime, double arrivalTime, long bytes) =>
        _writer.WriteLine($"{{\"event\":\"deliver\",\"from\":{from},\"to\":{to},\"round\":{round},\"sent\":{F(sendTime)},\"arrives\":{F(arrivalTime)},\"bytes\":{bytes}}}");

    public void OnDropped(int from, int to, int round, double sendTime) =>
        _writer.WriteLine($"{{\"event\":\"drop\",\"from\":{from},\"to\":{to},\"round\":{round},\"sent\":{F(sendTime)}}}");

    public void OnLost(int from, int to, int round, double time) =>
        _writer.WriteLine($"{{\"event\":\"lost\",\"from\":{from},\"to\":{to},\"round\":{round},\"t\":{F(time)},\"reason\":\"receiver offline\"}}");

    public void OnCombine(int agent, int iteration, double time, IReadOnlyList<int> staleness, bool timedOut) =>
        _writer.WriteLine($"{{\"event\":\"combine\",\"agent\":{agent},\"round\":{iteration},\"t\":{F(time)},\"staleness\":[{string.Join(',', staleness.Select(Staleness))}],\"timedOut\":{(timedOut ? "true" : "false")}}}");

    public void OnChurn(int agent, double time, bool online) =>
        _writer.WriteLine($"{{\"event\":\"{(online ? "online" : "offline")}\",\"agent\":{agent},\"t\":{F(time)}}}");

    public void Dispose() => _writer.Dispose();

    private static string Staleness(int s) => s == AsyncStats.NeverReceived ? "null" : s.ToString(CultureInfo.InvariantCulture);
}
