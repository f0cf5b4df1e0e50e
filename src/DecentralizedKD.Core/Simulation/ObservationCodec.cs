using DecentralizedKD.Core.Wire;
using static DecentralizedKD.Core.Wire.WireFormats;
using Evaluated = DecentralizedKD.Core.Simulation.AsyncObservation.Evaluated;
using Delivered = DecentralizedKD.Core.Simulation.AsyncObservation.Delivered;
using Dropped = DecentralizedKD.Core.Simulation.AsyncObservation.Dropped;
using Lost = DecentralizedKD.Core.Simulation.AsyncObservation.Lost;
using Combined = DecentralizedKD.Core.Simulation.AsyncObservation.Combined;
using Churned = DecentralizedKD.Core.Simulation.AsyncObservation.Churned;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// The binary layout of an <see cref="AsyncObservation"/>: a tag, then its fields, model snapshots as raw float32; one
/// declaration per kind. One layout serves the wire between hosts and the observations an asynchronous checkpoint
/// holds back. A new kind is one more case (a tag never used before).
/// </summary>
public static class ObservationCodec
{
    public static WireFormat<AsyncObservation> Format { get; } = Union<AsyncObservation>("observation")
        .Case(1, Record<Evaluated>()
            .Field(e => e.Agent, Int).Field(e => e.Completed, Int).Field(e => e.Time, Float64).Field(e => e.Accuracy, Float64)
            .Field(e => e.Parameters, Floats).Field(e => e.LossSum, Float64).Field(e => e.Iterations, Int).Field(e => e.BytesSent, Long)
            .Build((agent, completed, time, accuracy, parameters, lossSum, iterations, bytesSent) =>
                new Evaluated(agent, completed, time, accuracy, parameters, lossSum, iterations, bytesSent)))
        .Case(2, Record<Delivered>()
            .Field(d => d.From, Int).Field(d => d.To, Int).Field(d => d.Round, Int).Field(d => d.SendTime, Float64)
            .Field(d => d.ArrivalTime, Float64).Field(d => d.Bytes, Long)
            .Build((from, to, round, sendTime, arrivalTime, bytes) => new Delivered(from, to, round, sendTime, arrivalTime, bytes)))
        .Case(3, Record<Dropped>()
            .Field(d => d.From, Int).Field(d => d.To, Int).Field(d => d.Round, Int).Field(d => d.SendTime, Float64)
            .Build((from, to, round, sendTime) => new Dropped(from, to, round, sendTime)))
        .Case(4, Record<Lost>()
            .Field(l => l.From, Int).Field(l => l.To, Int).Field(l => l.Round, Int).Field(l => l.Time, Float64)
            .Build((from, to, round, time) => new Lost(from, to, round, time)))
        .Case(5, Record<Combined>()
            .Field(c => c.Agent, Int).Field(c => c.Iteration, Int).Field(c => c.Time, Float64).Field(c => c.Staleness, Ints)
            .Field(c => c.TimedOut, Bool)
            .Build((agent, iteration, time, staleness, timedOut) => new Combined(agent, iteration, time, staleness, timedOut)))
        .Case(6, Record<Churned>()
            .Field(c => c.Agent, Int).Field(c => c.Time, Float64).Field(c => c.Online, Bool)
            .Build((agent, time, online) => new Churned(agent, time, online)));

    public static void Write(ref WireWriter w, AsyncObservation o) => Format.Write(ref w, o);

    public static AsyncObservation Read(ref WireReader r) => Format.Read(ref r);
}
