using System.Runtime.Serialization;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// The binary layout of an <see cref="AsyncObservation"/>: a tag, then its fields, model snapshots as raw float32.
/// One layout serves the wire between hosts and the observations an asynchronous checkpoint holds back.
/// </summary>
public static class ObservationCodec
{
    private enum Tag { Evaluated = 1, Delivered, Dropped, Lost, Combined, Churned }

    public static void Write(ref WireWriter w, AsyncObservation o)
    {
        switch (o)
        {
            case AsyncObservation.Evaluated e:
                w.Int32((int)Tag.Evaluated);
                w.Int32(e.Agent);
                w.Int32(e.Completed);
                w.Double(e.Time);
                w.Double(e.Accuracy);
                w.Floats(e.Parameters);
                w.Double(e.LossSum);
                w.Int32(e.Iterations);
                w.Int64(e.BytesSent);
                break;
            case AsyncObservation.Delivered d:
                w.Int32((int)Tag.Delivered);
                w.Int32(d.From);
                w.Int32(d.To);
                w.Int32(d.Round);
                w.Double(d.SendTime);
                w.Double(d.ArrivalTime);
                w.Int64(d.Bytes);
                break;
            case AsyncObservation.Dropped d:
                w.Int32((int)Tag.Dropped);
                w.Int32(d.From);
                w.Int32(d.To);
                w.Int32(d.Round);
                w.Double(d.SendTime);
                break;
            case AsyncObservation.Lost l:
                w.Int32((int)Tag.Lost);
                w.Int32(l.From);
                w.Int32(l.To);
                w.Int32(l.Round);
                w.Double(l.Time);
                break;
            case AsyncObservation.Combined c:
                w.Int32((int)Tag.Combined);
                w.Int32(c.Agent);
                w.Int32(c.Iteration);
                w.Double(c.Time);
                w.Ints(c.Staleness);
                w.Bool(c.TimedOut);
                break;
            case AsyncObservation.Churned c:
                w.Int32((int)Tag.Churned);
                w.Int32(c.Agent);
                w.Double(c.Time);
                w.Bool(c.Online);
                break;
            default:
                throw new SerializationException($"the wire serializer has no layout for observation {o.GetType().Name}");
        }
    }

    public static AsyncObservation Read(ref WireReader r) => (Tag)r.Int32() switch
    {
        Tag.Evaluated => new AsyncObservation.Evaluated(r.Int32(), r.Int32(), r.Double(), r.Double(), r.Floats(), r.Double(), r.Int32(), r.Int64()),
        Tag.Delivered => new AsyncObservation.Delivered(r.Int32(), r.Int32(), r.Int32(), r.Double(), r.Double(), r.Int64()),
        Tag.Dropped => new AsyncObservation.Dropped(r.Int32(), r.Int32(), r.Int32(), r.Double()),
        Tag.Lost => new AsyncObservation.Lost(r.Int32(), r.Int32(), r.Int32(), r.Double()),
        Tag.Combined => new AsyncObservation.Combined(r.Int32(), r.Int32(), r.Double(), r.Ints(), r.Bool()),
        Tag.Churned => new AsyncObservation.Churned(r.Int32(), r.Double(), r.Bool()),
        var tag => throw new SerializationException($"wire message: unknown observation tag {(int)tag}"),
    };
}
