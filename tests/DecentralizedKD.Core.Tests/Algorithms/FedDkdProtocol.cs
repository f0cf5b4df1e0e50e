using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>The synchronous engine's protocol in-process for clients 0..N−1 and the server N (like the bare loop).</summary>
internal static class FedDkdProtocol
{
    /// <summary>One round; <paramref name="afterPhase"/> runs after each phase's Combine. Returns the bytes sent per kind.</summary>
    public static Dictionary<string, long> Round(IReadOnlyList<IAgentAlgorithm> agents, int r, Action<int>? afterPhase = null)
    {
        int server = agents.Count - 1;
        var bytes = new Dictionary<string, long>();
        foreach (var a in agents) a.LocalWork(r);
        for (int phase = 0; phase < agents[server].Phases(r); phase++)
        {
            for (int i = 0; i < agents.Count; i++)
                foreach (int j in i == server ? Enumerable.Range(0, server) : [server])
                    if (agents[i].Outgoing(r, phase, j) is { } p)
                    {
                        agents[j].Receive(p);
                        bytes[p.Kind] = bytes.GetValueOrDefault(p.Kind) + p.Bytes;
                    }
            foreach (var a in agents) a.Combine(r, phase);
            afterPhase?.Invoke(phase);
        }
        return bytes;
    }
}
