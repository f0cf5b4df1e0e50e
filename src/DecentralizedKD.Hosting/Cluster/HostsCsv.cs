using System.Globalization;
using System.Text;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>hosts.csv of a cluster run: per worker, its agents and the bytes its wire serializer handed to / took from the transport.</summary>
public static class HostsCsv
{
    public static string Render(IReadOnlyList<HostReport> hosts, int rounds)
    {
        var sb = new StringBuilder("host,address,agents,wire_bytes_sent,wire_bytes_received,payload_bytes_received,payload_bytes_received_per_round\n");
        foreach (var h in hosts)
        {
            long sent = h.Wire?.Sent.Values.Sum() ?? 0, received = h.Wire?.Received.Values.Sum() ?? 0, payload = PayloadReceived(h);
            sb.Append(h.Index).Append(',').Append(h.Address).Append(",\"").Append(Placement.Describe(h.Agents)).Append("\",")
              .Append(sent).Append(',').Append(received).Append(',').Append(payload).Append(',')
              .Append((payload / (double)rounds).ToString("0.#", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Payload bytes a host received: gossip (hg), asynchronous arrivals (ha) and chunks of large messages (ch).</summary>
    public static long PayloadReceived(HostReport h) =>
        h.Wire is null ? 0 : h.Wire.Received.GetValueOrDefault("hg") + h.Wire.Received.GetValueOrDefault("ha") + h.Wire.Received.GetValueOrDefault("ch");
}
