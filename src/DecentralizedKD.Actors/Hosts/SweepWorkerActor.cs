using Akka.Actor;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>What a sweep worker needs: where the coordinator is, its fingerprint, its slots, and how to run one run.</summary>
/// <param name="RunOne">Runs plan run i into a fresh folder and returns the folder and whether it ended normally (blocking; called off the actor).</param>
public sealed record SweepWorkerSettings(
    ActorSelection Coordinator,
    string Fingerprint,
    int Slots,
    long ChunkBytes,
    Func<int, (string Folder, bool Ok, string? Error)> RunOne,
    TimeSpan Retry,
    TaskCompletionSource<string?> Done)
{
    /// <summary>The run secret (experiment.cluster.secret-env): proven to the coordinator, which must prove it too; null: none.</summary>
    public RunSecret? Secret { get; init; }
}

/// <summary>
/// A worker host of a sweep (at /user/sweep-worker): announces itself until the coordinator answers, then keeps one
/// request out per free slot, runs each assigned run on its own thread and ships the run folder back (chunked when
/// large) before asking again. Ends when the coordinator says the sweep is done or refuses it. With a run secret it
/// answers the coordinator's <see cref="JoinChallenge"/> with its proof and takes runs only from a coordinator whose
/// own proof held; without one it answers with an empty proof (the coordinator, if it has a secret, refuses it).
/// </summary>
public sealed class SweepWorkerActor : ReceiveActor, IWithTimers
{
    private sealed record Announce;
    private sealed record Finished(int RunIndex, string Folder, bool Ok, string? Error);

    private readonly SweepWorkerSettings _s;
    private readonly ChunkedLink _link;
    private IActorRef? _coordinator;
    private Address? _provenCoordinator;
    private int _busy;

    public ITimerScheduler Timers { get; set; } = null!;

    public SweepWorkerActor(SweepWorkerSettings settings)
    {
        _s = settings;
        _link = new ChunkedLink(Context.System, settings.ChunkBytes);
        Receive<Announce>(_ => _s.Coordinator.Tell(new SweepWorkerReady(_s.Fingerprint, _s.Slots)));
        Receive<JoinChallenge>(OnChallenge);
        Receive<SweepWorkerAnswer>(OnAnswer);
        Receive<SweepRunAssigned>(m =>
        {
            if (Sender.Equals(_coordinator)) OnAssigned(m);   // from the coordinator that accepted this worker, no one else
        });
        Receive<Finished>(OnFinished);
        Receive<SweepDone>(_ =>
        {
            if (Sender.Equals(_coordinator)) _s.Done.TrySetResult(null);
        });
    }

    public static Props Props(SweepWorkerSettings settings) => Akka.Actor.Props.Create(() => new SweepWorkerActor(settings));

    protected override void PreStart() => Timers.StartPeriodicTimer("announce", new Announce(), TimeSpan.Zero, _s.Retry);

    /// <summary>The coordinator asks for the run secret: answered in any case, but the coordinator is trusted only if its own proof holds.</summary>
    private void OnChallenge(JoinChallenge m)
    {
        if (_coordinator is not null) return;
        if (_s.Secret is not { } secret)
        {
            Sender.Tell(new JoinProof(m.Nonce, []));
            return;
        }
        var challenger = Sender.Path.Address;
        if (secret.Verify(m.Proof, RunSecret.CoordinatorRole, m.Nonce, _s.Fingerprint, challenger.ToString())) _provenCoordinator = challenger;
        var self = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
        Sender.Tell(new JoinProof(m.Nonce, secret.Prove(RunSecret.WorkerRole, m.Nonce, _s.Fingerprint, self.ToString())));
    }

    private void OnAnswer(SweepWorkerAnswer m)
    {
        if (_coordinator is not null) return;
        Timers.Cancel("announce");
        if (!m.Accepted)
        {
            _s.Done.TrySetResult($"the sweep coordinator refused this worker: {m.Reason}");
            return;
        }
        if (_s.Secret is not null && Sender.Path.Address != _provenCoordinator)
        {
            _s.Done.TrySetResult($"the sweep coordinator {Sender.Path.Address} did not prove the run secret (experiment.cluster.secret-env) this worker has; it takes no runs from it");
            return;
        }
        _coordinator = Sender;
        for (int k = 0; k < _s.Slots; k++) _coordinator.Tell(new SweepRunRequest());
    }

    private void OnAssigned(SweepRunAssigned m)
    {
        if (m.RunIndex < 0) return;   // nothing left for this slot; the coordinator says when the sweep is done
        _busy++;
        var self = Self;
        var thread = new Thread(() =>
        {
            (string folder, bool ok, string? error) result;
            try { result = _s.RunOne(m.RunIndex); }
            catch (Exception e) { result = ("", false, $"{e.GetType().Name}: {e.Message}"); }
            self.Tell(new Finished(m.RunIndex, result.folder, result.ok, result.error));
        }) { IsBackground = true, Name = $"dkd-sweep-run-{m.RunIndex}" };
        thread.Start();
    }

    private void OnFinished(Finished m)
    {
        _busy--;
        var files = m.Folder.Length > 0 && Directory.Exists(m.Folder)
            ? Directory.GetFiles(m.Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
            : [];
        var message = new SweepRunFiles(m.RunIndex, m.Ok, m.Error,
            files.Select(f => Path.GetRelativePath(m.Folder, f).Replace(Path.DirectorySeparatorChar, '/')).ToArray(),
            files.Select(File.ReadAllBytes).ToArray());
        _link.Send(_coordinator!, message, Self);
        if (m.Folder.Length > 0 && Directory.Exists(m.Folder)) Directory.Delete(m.Folder, recursive: true);
        _coordinator!.Tell(new SweepRunRequest());
    }
}
