namespace DecentralizedKD.Actors.Hosts;

// Messages of a sweep across hosts: whole runs handed out by work pulling. Runs are deterministic, so which worker runs
// one never changes its results; a worker lost mid-run only costs the time of running it again elsewhere.

/// <summary>Worker → sweep coordinator, resent until answered: I run this sweep (its fingerprint) with this many slots.</summary>
public sealed record SweepWorkerReady(string Fingerprint, int Slots);

/// <summary>Sweep coordinator → worker: welcome (ask for runs now), or refused with the reason.</summary>
public sealed record SweepWorkerAnswer(bool Accepted, string? Reason);

/// <summary>Worker → sweep coordinator: I have a free slot.</summary>
public sealed record SweepRunRequest;

/// <summary>Sweep coordinator → worker: run the run with this index of the plan (−1: none left, the sweep is ending).</summary>
public sealed record SweepRunAssigned(int RunIndex);

/// <summary>
/// Worker → sweep coordinator (chunked when large): a finished run's folder, file by file (paths relative to it, '/'
/// separated), and whether it ended normally.
/// </summary>
public sealed record SweepRunFiles(int RunIndex, bool Ok, string? Error, string[] Paths, byte[][] Contents);

/// <summary>Sweep coordinator → workers: every run is in; leave.</summary>
public sealed record SweepDone;
