using System.Globalization;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// events.jsonl: one JSON object per line for every delivery, drop, message lost to an offline receiver, combine
/// (with the staleness of each neighbour's payload, −1 = never heard from) and churn transition. Numbers use
/// round-trip formatting, so the same seed gives a byte-identical file.
/// </summary>
public sealed class EventsJsonl(string path) : IAsyncObserver, IDisposable
{
    private readonly StreamWriter _writer = new(path, append: false) { NewLine = "\n" };

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
        _writer.WriteLine($"{{\"event\":\"combine\",\"agent\":{agent},\"round\":{iteration},\"t\":{F(time)},\"staleness\":[{string.Join(',', staleness)}],\"timedOut\":{(timedOut ? "true" : "false")}}}");

    public void OnChurn(int agent, double time, bool online) =>
        _writer.WriteLine($"{{\"event\":\"{(online ? "online" : "offline")}\",\"agent\":{agent},\"t\":{F(time)}}}");

    public void Dispose() => _writer.Dispose();
}
