using Akka.Actor;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Actors;

/// <summary>Evaluates the averaged model x̄ on its own scratch model, on the compute dispatcher (not the coordinator's thread).</summary>
public sealed class EvaluatorActor : ReceiveActor
{
    private IParameterEvaluator? _evaluator;

    public EvaluatorActor(Func<IParameterEvaluator> create)
    {
        Receive<EvaluateAverage>(m =>
        {
            TorchThreads.EnsureSingleThreaded();
            _evaluator ??= create();
            Sender.Tell(new AverageEvaluated(m.CompletedRounds, _evaluator.Accuracy(m.Parameters)));
        });
    }

    public static Props Props(Func<IParameterEvaluator> create, string? dispatcher)
    {
        var props = Akka.Actor.Props.Create(() => new EvaluatorActor(create));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    protected override void PostStop() => _evaluator?.Dispose();
}
