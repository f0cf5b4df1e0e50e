namespace DecentralizedKD.Core.Topology.Schedules;

/// <summary>
/// <c>sequence</c>: <c>topology.sequence-file</c> lists edge-list files (one path per line, relative to the sequence
/// file; # starts a comment), used round-robin: round t uses file t mod (number of files), with the configured mixing.
/// </summary>
public sealed class SequenceSchedule : RoundGraphSchedule
{
    private readonly RoundLinks[] _rounds;
    private readonly IReadOnlyList<int>[] _peers;

    public SequenceSchedule(ScheduleContext c) : base(c.Agents)
    {
        const string key = "experiment.topology.sequence-file";
        if (c.SequenceFile.Length == 0) throw new InputException($"{key}: required when topology.schedule = sequence");
        if (!File.Exists(c.SequenceFile)) throw new InputException($"{key}: file '{c.SequenceFile}' not found");
        string dir = Path.GetDirectoryName(Path.GetFullPath(c.SequenceFile)) ?? ".";
        var files = File.ReadAllLines(c.SequenceFile)
            .Select(line => (line.IndexOf('#') is var h && h >= 0 ? line[..h] : line).Trim())
            .Where(line => line.Length > 0)
            .ToArray();
        if (files.Length == 0) throw new InputException($"{key}: '{c.SequenceFile}' lists no edge-list files (one path per line)");
        _rounds = new RoundLinks[files.Length];
        for (int k = 0; k < files.Length; k++)
        {
            string path = Path.IsPathRooted(files[k]) ? files[k] : Path.Combine(dir, files[k]);
            if (!File.Exists(path)) throw new InputException($"{key}: '{c.SequenceFile}' line {k + 1}: edge-list file '{files[k]}' not found");
            var graph = EdgeListFile.Read(path);
            if (graph.Nodes != c.Agents)
                throw new InputException($"{key}: edge-list file '{files[k]}' has {graph.Nodes} nodes, expected experiment.agents = {c.Agents}");
            _rounds[k] = FromGraph(graph, c.Mixing, c.Gamma);
        }
        _peers = Enumerable.Range(0, c.Agents)
            .Select(i => (IReadOnlyList<int>)_rounds.SelectMany(r => r.Recipients[i]).Distinct().Order().ToArray())
            .ToArray();
    }

    public override int Period => _rounds.Length;
    public override IReadOnlyList<int> PossiblePeers(int agent) => _peers[agent];
    protected override RoundLinks Build(int round) => _rounds[round % _rounds.Length];
}
