using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// The checkpoints of one run, in RUN/checkpoint/: <c>round-R/agent-I.bin</c> (each agent writes its own, on its own
/// thread), <c>round-R/coordinator.bin</c>, and <c>manifest.json</c> naming the newest complete round. Synchronous runs
/// checkpoint at round boundaries; asynchronous ones at the first window boundary after every agent has finished
/// round R (<see cref="DueAfterWindow"/>), with the messages in flight saved in their receivers' files.
/// Order of a checkpoint: empty round folder → every agent file (flushed) → coordinator file (flushed) → folder synced →
/// manifest replaced by rename → checkpoint folder synced → older round folders removed. A kill at any point leaves
/// the manifest naming a complete round.
/// </summary>
public sealed class RunCheckpoints
{
    private readonly int _rounds;
    private readonly int _agents;
    private readonly string _algorithm;

    public RunCheckpoints(string runDirectory, ExperimentConfig config, string configHash)
    {
        Root = Path.Combine(runDirectory, CheckpointFormat.DirectoryName);
        Every = config.CheckpointEvery;
        ConfigHash = configHash;
        _rounds = config.Rounds;
        _agents = config.AgentCount;   // FedAvg/FedDKD: the N clients and the server (agent N) each write a file
        _algorithm = config.Algorithm.Name;
    }

    public string Root { get; }
    public int Every { get; }
    public string ConfigHash { get; }
    public string ManifestPath => Path.Combine(Root, CheckpointFormat.ManifestName);

    /// <summary>Ends the run right after the checkpoint of this round is committed, as a kill would (tests); -1 = never.</summary>
    public int HaltAfter { get; init; } = -1;

    /// <summary>Every <see cref="Every"/> rounds and after the last round; never when <see cref="Every"/> is 0.</summary>
    public bool IsDue(int completedRounds) => Every > 0 && (completedRounds % Every == 0 || completedRounds == _rounds);

    /// <summary>
    /// Asynchronous mode, at a window boundary: the round to label a checkpoint with, or −1. Due once the slowest agent
    /// has completed a multiple of <see cref="Every"/> iterations that has no checkpoint yet, and at the end of the run
    /// (labelled with the last round). An agent offline for good holds the periodic checkpoints back, not the last one.
    /// </summary>
    public int DueAfterWindow(int slowestCompleted, bool finished, int lastCheckpoint)
    {
        if (Every <= 0) return -1;
        int round = finished ? _rounds : Math.Min(slowestCompleted, _rounds) / Every * Every;
        return round >= 1 && round > lastCheckpoint ? round : -1;
    }

    /// <summary>
    /// The periodic checkpoint after <paramref name="lastCheckpoint"/>: in asynchronous runs agents that reach it wait
    /// there until every agent has (then it is taken), so large time windows cannot skip it. int.MaxValue when none.
    /// </summary>
    public int NextPeriodic(int lastCheckpoint)
    {
        if (Every <= 0) return int.MaxValue;
        int next = (lastCheckpoint / Every + 1) * Every;
        return next < _rounds ? next : int.MaxValue;
    }

    private static string Folder(int round) => $"round-{round}";
    public string RoundDirectory(int round) => Path.Combine(Root, Folder(round));
    public string AgentFile(int round, int agent) => Path.Combine(RoundDirectory(round), $"agent-{agent}.bin");
    public string CoordinatorFile(int round) => Path.Combine(RoundDirectory(round), "coordinator.bin");
    public StateFileHeader AgentHeader(int round, int agent) => new(ConfigHash, StateOwner.Agent, agent, round);
    public StateFileHeader CoordinatorHeader(int round) => new(ConfigHash, StateOwner.Coordinator, 0, round);

    /// <summary>Starts the checkpoint of <paramref name="round"/> in an empty folder (a leftover of an interrupted attempt goes).</summary>
    public void Begin(int round)
    {
        string dir = RoundDirectory(round);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
    }

    /// <summary>After every agent file is written: the coordinator's file, then the manifest (the commit), then cleanup.</summary>
    public void Commit(CoordinatorState state) => Commit(state.CompletedRounds, state.Write);

    public void Commit(AsyncCoordinatorState state) => Commit(state.CompletedRounds, state.Write);

    private void Commit(int round, Action<BinaryWriter> writeCoordinator)
    {
        StateFile.Write(CoordinatorFile(round), CoordinatorHeader(round), writeCoordinator);
        DirectorySync.Flush(RoundDirectory(round));
        DirectorySync.Flush(Root);
        new CheckpointManifest(CheckpointFormat.Name, CheckpointFormat.Version, round, _rounds, _agents, _algorithm, ConfigHash, Folder(round))
            .WriteAtomically(ManifestPath);
        DirectorySync.Flush(Root);   // the rename is durable before any older round goes
        RemoveAllBut(Folder(round));
    }

    /// <summary>
    /// The committed checkpoint, checked completely before anything runs: manifest fields, then every state file's
    /// checksum and header. Returns the coordinator's state; agents load their own files when they start.
    /// </summary>
    public CoordinatorState Open() => Open((r, agents) => CoordinatorState.Read(r, agents));

    /// <summary>As <see cref="Open()"/>, for an asynchronous run.</summary>
    public AsyncCoordinatorState OpenAsync() => Open((r, agents) => AsyncCoordinatorState.Read(r, agents));

    private T Open<T>(Func<BinaryReader, int, T> read) where T : class, IResumeState
    {
        var m = CheckpointManifest.Read(ManifestPath);
        string Bad(string why) => $"checkpoint '{ManifestPath}' {why}";
        if (m.Format != CheckpointFormat.Name) throw new InputException(Bad($"is not a dkd checkpoint manifest (format '{m.Format}')"));
        if (m.Version != CheckpointFormat.Version)
            throw new InputException(Bad($"has format version {m.Version}; this build reads version {CheckpointFormat.Version}"));
        if (m.ConfigHash != ConfigHash)
            throw new InputException(Bad("was written for a different configuration (config.conf changed since the run started)"));
        if (m.Agents != _agents || m.Rounds != _rounds || m.Algorithm != _algorithm || m.Round < 1 || m.Round > _rounds || m.Directory != Folder(m.Round))
            throw new InputException(Bad($"does not match config.conf ({m.Agents} agents, {m.Rounds} rounds, '{m.Algorithm}', round {m.Round})"));
        for (int i = 0; i < _agents; i++)
            using (StateFile.Open(AgentFile(m.Round, i), AgentHeader(m.Round, i))) { }
        T? state = null;
        StateFile.Read(CoordinatorFile(m.Round), CoordinatorHeader(m.Round), r => state = read(r, _agents));
        if (state!.CompletedRounds != m.Round) throw new InputException(Bad($"names round {m.Round} but the coordinator saved round {state.CompletedRounds}"));
        RemoveAllBut(Folder(m.Round));
        return state;
    }

    /// <summary>Removes every round folder but the committed one (older rounds, and attempts a kill interrupted).</summary>
    private void RemoveAllBut(string keep)
    {
        foreach (string dir in Directory.EnumerateDirectories(Root, "round-*"))
            if (Path.GetFileName(dir) != keep) Directory.Delete(dir, recursive: true);
    }
}
