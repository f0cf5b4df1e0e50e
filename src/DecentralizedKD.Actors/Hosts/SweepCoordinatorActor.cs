using Akka.Actor;
using Akka.Event;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>What the sweep coordinator needs: the runs to hand out, where finished runs go, the workers' fingerprint.</summary>
public sealed record SweepCoordinatorSettings(
    IReadOnlyList<int> Pending,
    string Fingerprint,
    Action<SweepRunFiles> Store,
    TaskCompletionSource<string?> Done)
{
    /// <summary>The run secret (experiment.cluster.secret-env) a worker must prove before it gets a run; null: every worker with the fingerprint.</summary>
    public RunSecret? Secret { get; init; }
}

/// <summary>
/// The coordinator of a sweep across hosts (at /user/sweep on the coordinator node). Workers announce themselves with
/// the sweep's fingerprint and then pull runs one free slot at a time; a worker's finished run comes back as its files,
/// which the coordinator stores under runs/. A worker that is lost (its actor terminated: the node left or became
/// unreachable) gives its unfinished runs back to the queue, at the front. When every run is stored the workers are
/// told to leave and <see cref="SweepCoordinatorSettings.Done"/> completes. With a run secret a worker is admitted as
/// a run admits its hosts: its announcement is answered with a <see cref="JoinChallenge"/> (the coordinator's own proof
/// for a fresh nonce), and only a <see cref="JoinProof"/> that holds for the worker's own address admits it; any other
/// answer is refused with one warning line and the worker is told why.
/// </summary>
public sealed class SweepCoordinatorActor : ReceiveActor
{
    private readonly SweepCoordinatorSettings _s;
    private readonly LinkedList<int> _queue;
    private readonly Dictionary<IActorRef, HashSet<int>> _running = [];
    private readonly Queue<IActorRef> _idle = new();   // free slots that asked while the queue was empty
    private readonly ChunkAssembler _assembler;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // With a run secret: workers asked to prove it (their challenge's nonce), and those refused for good.
    private readonly Dictionary<IActorRef, byte[]> _challenged = [];
    private readonly HashSet<Address> _refused = [];
    private int _left;

    public SweepCoordinatorActor(SweepCoordinatorSettings settings)
    {
        _s = settings;
        _queue = new LinkedList<int>(settings.Pending);
        _left = settings.Pending.Count;
        _assembler = new ChunkAssembler(Context.System);
        Receive<SweepWorkerReady>(OnReady);
        Receive<JoinProof>(OnProof);
        Receive<SweepRunRequest>(_ => Assign(Sender));
        Receive<SweepRunFiles>(OnFiles);
        Receive<WireChunk>(c =>
        {
            if (_assembler.AddOrDrop(c, Sender) is { } whole) Self.Tell(whole, Sender);
        });
        Receive<Terminated>(t => Lost(t.ActorRef));
    }

    public static Props Props(SweepCoordinatorSettings settings) => Akka.Actor.Props.Create(() => new SweepCoordinatorActor(settings));

    protected override void PreStart()
    {
        if (_left == 0) Finish();
    }

    private void OnReady(SweepWorkerReady m)
    {
        if (m.Fingerprint != _s.Fingerprint)
        {
            Sender.Tell(new SweepWorkerAnswer(false, $"was started with a different sweep (fingerprint {m.Fingerprint}, coordinator has {_s.Fingerprint})"));
            return;
        }
        if (_running.ContainsKey(Sender) || _s.Secret is null)
        {
            Admit(Sender);
            return;
        }
        if (_refused.Contains(Sender.Path.Address)) return;   // told already; a re-announcement in flight
        // Announcements repeat until answered: each gets the same challenge again, in case one was lost.
        if (!_challenged.TryGetValue(Sender, out var nonce)) _challenged[Sender] = nonce = RunSecret.NewNonce();
        Sender.Tell(new JoinChallenge(nonce, _s.Secret.Prove(RunSecret.CoordinatorRole, nonce, _s.Fingerprint, SelfAddress.ToString())));
    }

    private Address SelfAddress => ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;

    /// <summary>A challenged worker's answer: admitted when it proves the run secret for its own address, else refused.</summary>
    private void OnProof(JoinProof m)
    {
        if (_s.Secret is not { } secret || !_challenged.TryGetValue(Sender, out var nonce)) return;   // late or unasked
        if (!m.Nonce.AsSpan().SequenceEqual(nonce)) return;   // not an answer to this challenge
        _challenged.Remove(Sender);
        var address = Sender.Path.Address;
        if (m.Proof.Length == 0) Refuse(Sender, "has no run secret (experiment.cluster.secret-env is not set on that host)");
        else if (!secret.Verify(m.Proof, RunSecret.WorkerRole, nonce, _s.Fingerprint, address.ToString()))
            Refuse(Sender, "does not prove the run secret (a different secret in its experiment.cluster.secret-env)");
        else Admit(Sender);
    }

    private void Admit(IActorRef worker)
    {
        if (!_running.ContainsKey(worker))
        {
            _running[worker] = [];
            Context.Watch(worker);
        }
        worker.Tell(new SweepWorkerAnswer(true, null));
    }

    /// <summary>One warning line per refused worker, which is told why (and then ends by itself); it never gets a run.</summary>
    private void Refuse(IActorRef worker, string why)
    {
        _refused.Add(worker.Path.Address);
        _log.Warning("sweep coordinator: refused worker {0}: it {1}", worker.Path.Address, why);
        worker.Tell(new SweepWorkerAnswer(false, $"it {why}"));
    }

    private void Assign(IActorRef worker)
    {
        if (!_running.TryGetValue(worker, out var mine)) return;   // never announced itself (or was lost)
        if (_queue.First is not { } next)
        {
            // Parked, not refused: a lost worker's runs may come back to the queue and need this slot.
            _idle.Enqueue(worker);
            return;
        }
        _queue.RemoveFirst();
        mine.Add(next.Value);
        worker.Tell(new SweepRunAssigned(next.Value));
    }

    private void OnFiles(SweepRunFiles m)
    {
        if (!_running.TryGetValue(Sender, out var mine) || !mine.Remove(m.RunIndex)) return;   // a lost worker's late answer
        try { _s.Store(m); }
        catch (Exception e)
        {
            _s.Done.TrySetResult($"cannot store run {m.RunIndex}: {e.Message}");
            Context.Stop(Self);
            return;
        }
        if (--_left == 0) Finish();
    }

    private void Lost(IActorRef worker)
    {
        if (!_running.Remove(worker, out var mine)) return;
        foreach (int run in mine.OrderDescending()) _queue.AddFirst(run);
        int parked = _idle.Count;
        for (int k = 0; k < parked && _queue.First is not null; k++)
        {
            var slot = _idle.Dequeue();
            if (_running.ContainsKey(slot)) Assign(slot);
        }
        if (_running.Count == 0 && _left > 0)
            Context.System.Log.Warning("sweep: every worker is gone; {0} run(s) wait for a worker to join", _left);
    }

    private void Finish()
    {
        foreach (var worker in _running.Keys) worker.Tell(new SweepDone());
        _s.Done.TrySetResult(null);
    }
}
