using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Training;
using Xunit;

namespace DecentralizedKD.Actors.Tests;

/// <summary>The evaluator of the averaged model: answers the asker with the round it was asked about, builds its model once.</summary>
public sealed class EvaluatorActorTests : TestKit
{
    /// <summary>Accuracy = the first parameter; remembers whether it was disposed.</summary>
    private sealed class FirstParameterEvaluator : IParameterEvaluator
    {
        public bool Disposed { get; private set; }
        public double Accuracy(ReadOnlySpan<float> parameters) => parameters[0];
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void Each_request_is_answered_to_its_sender_with_its_round_and_the_model_is_built_once_and_disposed_on_stop()
    {
        var built = new List<FirstParameterEvaluator>();
        var evaluator = Sys.ActorOf(EvaluatorActor.Props(() =>
        {
            var e = new FirstParameterEvaluator();
            built.Add(e);
            return e;
        }, null));
        var coordinator = CreateTestProbe();
        var other = CreateTestProbe();

        evaluator.Tell(new EvaluateAverage(3, [0.25f, 9f]), coordinator.Ref);
        Assert.Equal(new AverageEvaluated(3, 0.25), coordinator.ExpectMsg<AverageEvaluated>());
        evaluator.Tell(new EvaluateAverage(5, [0.75f]), other.Ref);
        Assert.Equal(new AverageEvaluated(5, 0.75), other.ExpectMsg<AverageEvaluated>());
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));   // answers go to the asker only

        Assert.Single(built);
        Watch(evaluator);
        Sys.Stop(evaluator);
        ExpectTerminated(evaluator);
        Assert.True(built[0].Disposed);
    }

    [Fact]
    public void An_evaluator_stopped_before_any_request_builds_no_model()
    {
        int created = 0;
        var evaluator = Sys.ActorOf(EvaluatorActor.Props(() =>
        {
            created++;
            return new FirstParameterEvaluator();
        }, null));
        Watch(evaluator);
        Sys.Stop(evaluator);
        ExpectTerminated(evaluator);
        Assert.Equal(0, created);
    }
}
