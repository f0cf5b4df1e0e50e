using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Core.Simulation;

/// <summary>The binary form of an <see cref="AsyncObservation"/> in checkpoint files: a kind byte, then its fields.</summary>
public static class ObservationState
{
    public static void Write(BinaryWriter w, AsyncObservation o)
    {
        switch (o)
        {
            case AsyncObservation.Evaluated e:
                w.Write((byte)1); w.Write(e.Agent); w.Write(e.Completed); w.Write(e.Time); w.Write(e.Accuracy);
                w.WriteFloats(e.Parameters); w.Write(e.LossSum); w.Write(e.Iterations); w.Write(e.BytesSent);
                break;
            case AsyncObservation.Delivered d:
                w.Write((byte)2); w.Write(d.From); w.Write(d.To); w.Write(d.Round); w.Write(d.SendTime); w.Write(d.ArrivalTime); w.Write(d.Bytes);
                break;
            case AsyncObservation.Dropped d:
                w.Write((byte)3); w.Write(d.From); w.Write(d.To); w.Write(d.Round); w.Write(d.SendTime);
                break;
            case AsyncObservation.Lost l:
                w.Write((byte)4); w.Write(l.From); w.Write(l.To); w.Write(l.Round); w.Write(l.Time);
                break;
            case AsyncObservation.Combined c:
                w.Write((byte)5); w.Write(c.Agent); w.Write(c.Iteration); w.Write(c.Time); w.WriteInts(c.Staleness); w.Write(c.TimedOut);
                break;
            case AsyncObservation.Churned c:
                w.Write((byte)6); w.Write(c.Agent); w.Write(c.Time); w.Write(c.Online);
                break;
            default:
                throw new NotSupportedException($"observation {o.GetType().Name} cannot be checkpointed");
        }
    }

    public static AsyncObservation Read(BinaryReader r) => r.ReadByte() switch
    {
        1 => new AsyncObservation.Evaluated(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadFloatArray("evaluated parameters"),
            r.ReadDouble(), r.ReadInt32(), r.ReadInt64()),
        2 => new AsyncObservation.Delivered(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadInt64()),
        3 => new AsyncObservation.Dropped(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadDouble()),
        4 => new AsyncObservation.Lost(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadDouble()),
        5 => new AsyncObservation.Combined(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadIntArray("staleness"), r.ReadBoolean()),
        6 => new AsyncObservation.Churned(r.ReadInt32(), r.ReadDouble(), r.ReadBoolean()),
        var k => throw new InvalidDataException($"unknown observation kind {k}"),
    };
}
