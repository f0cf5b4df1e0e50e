using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>Checkpoint form of <see cref="SoftLabels"/>: count, pool ids, then the count × classes label values.</summary>
public static class SoftLabelsState
{
    public static void WriteSoftLabels(this BinaryWriter w, SoftLabels labels)
    {
        w.Write(labels.Classes);
        w.Write(labels.Count);
        w.WriteInts(labels.PoolIds);
        w.WriteFloats(labels.Values);
    }

    /// <summary>
    /// Reads labels written by <see cref="WriteSoftLabels"/>; anything that is not a valid label set of
    /// <paramref name="classes"/> classes over pool ids 0..<paramref name="poolCount"/>−1 is <see cref="InvalidDataException"/>.
    /// </summary>
    public static SoftLabels ReadSoftLabels(this BinaryReader r, int classes, int poolCount, string what)
    {
        int saved = r.ReadInt32();
        if (saved != classes) throw new InvalidDataException($"{what}: saved {saved} classes, this run has {classes}");
        int count = r.ReadInt32();
        if (count < 0 || count > poolCount) throw new InvalidDataException($"{what}: {count} labelled samples, the public pool has {poolCount}");
        var ids = new int[count];
        r.ReadInts(ids, what + " (pool ids)");
        var values = new float[(long)count * classes];
        r.ReadFloats(values, what + " (label values)");
        if (count > 0 && (ids[0] < 0 || ids[^1] >= poolCount))
            throw new InvalidDataException($"{what}: pool ids outside 0..{poolCount - 1}");
        try { return new SoftLabels(ids, values, classes); }
        catch (ArgumentException e) { throw new InvalidDataException($"{what}: {e.Message}"); }
    }
}
