namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// One report of the asynchronous simulation as plain data (not a closure), so that an agent's reports can be buffered
/// during a parallel time window, sent across hosts with the binary wire serializer, and replayed into the run's
/// <see cref="IAsyncObserver"/> sink by whoever drives the windows, in the canonical order of
/// <see cref="ObservationOrder"/>.
/// </summary>
public abstract record AsyncObservation
{
    public abstract void ReplayTo(IAsyncObserver target);

    /// <summary>The virtual time of the event during which the observing agent made this observation.</summary>
    public abstract double At { get; }

    /// <summary>See <see cref="IAsyncObserver.OnEvaluation"/>; <paramref name="Parameters"/> is the model snapshot the metrics need.</summary>
    public sealed record Evaluated(int Agent, int Completed, double Time, double Accuracy, float[] Parameters, double LossSum, int Iterations,
        long BytesSent) : AsyncObservation
    {
        public override void ReplayTo(IAsyncObserver target) =>
            target.OnEvaluation(Agent, Completed, Time, Accuracy, Parameters, LossSum, Iterations, BytesSent);

        public override double At => Time;
    }

    public sealed record Delivered(int From, int To, int Round, double SendTime, double ArrivalTime, long Bytes) : AsyncObservation
    {
        public override void ReplayTo(IAsyncObserver target) => target.OnDelivered(From, To, Round, SendTime, ArrivalTime, Bytes);

        public override double At => SendTime;
    }

    public sealed record Dropped(int From, int To, int Round, double SendTime) : AsyncObservation
    {
        public override void ReplayTo(IAsyncObserver target) => target.OnDropped(From, To, Round, SendTime);

        public override double At => SendTime;
    }

    /// <summary>A payload that reached an offline receiver.</summary>
    public sealed record Lost(int From, int To, int Round, double Time) : AsyncObservation
    {
        public override void ReplayTo(IAsyncObserver target) => target.OnLost(From, To, Round, Time);

        public override double At => Time;
    }

    /// <summary><paramref name="Staleness"/>: per neighbour, iterations behind (−1 = never heard from).</summary>
    public sealed record Combined(int Agent, int Iteration, double Time, int[] Staleness, bool TimedOut) : AsyncObservation
    {
        public override void ReplayTo(IAsyncObserver target) => target.OnCombine(Agent, Iteration, Time, Staleness, TimedOut);

        public override double At => Time;
    }

    public sealed record Churned(int Agent, double Time, bool Online) : AsyncObservation
    {
        public override void ReplayTo(IAsyncObserver target) => target.OnChurn(Agent, Time, Online);

        public override double At => Time;
    }
}
