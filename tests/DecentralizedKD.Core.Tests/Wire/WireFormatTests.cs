using System.Runtime.Serialization;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;
using Xunit;
using static DecentralizedKD.Core.Wire.WireFormats;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Core.Tests.Wire;

/// <summary>
/// The declarative wire formats: a record's fields go on the wire in declaration order and come back through its
/// constructor; minimum sizes follow from the declaration; counts are checked against the frame before allocation.
/// </summary>
public sealed class WireFormatTests
{
    private sealed record Point(int X, double Y);

    private sealed record Labelled(string Name, int[] Values, string? Note);

    private static readonly WireFormat<Point> PointFormat = Record<Point>()
        .Field(p => p.X, Int).Field(p => p.Y, Float64)
        .Build((x, y) => new Point(x, y));

    private static byte[] Encode<T>(WireFormat<T> format, T value)
    {
        var measure = WireWriter.Measure();
        format.Write(ref measure, value);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        format.Write(ref w, value);
        Assert.Equal(bytes.Length, w.Position);
        return bytes;
    }

    private static T Decode<T>(WireFormat<T> format, byte[] bytes)
    {
        var r = new WireReader(bytes);
        var value = format.Read(ref r);
        r.End();
        return value;
    }

    [Fact]
    public void A_record_is_its_fields_in_declaration_order_and_reads_back_through_its_constructor()
    {
        var format = Record<Labelled>()
            .Field(l => l.Note, NullableString).Field(l => l.Values, Ints).Field(l => l.Name, RequiredString)
            .Build((note, values, name) => new Labelled(name, values, note));
        var value = new Labelled("ab", [7], null);

        byte[] bytes = Encode(format, value);

        Assert.Equal("FFFFFFFF" + "01000000" + "07000000" + "02000000" + "6162", Convert.ToHexString(bytes));
        var back = Decode(format, bytes);
        Assert.Equal((value.Name, value.Note), (back.Name, back.Note));
        Assert.Equal(value.Values, back.Values);
        Assert.Equal(4 + 4 + 4, format.MinSize);
    }

    [Fact]
    public void Minimum_sizes_follow_from_the_declaration()
    {
        Assert.Equal(4 + 8, PointFormat.MinSize);
        Assert.Equal(0, Record<Point>().Build(() => new Point(0, 0)).MinSize);
        Assert.Equal(4, ArrayOf(PointFormat).MinSize);
        // An observation is its tag and at least the smallest kind (Churned: agent, time, online).
        Assert.Equal(4 + (4 + 8 + 4), ObservationCodec.Format.MinSize);
        // A payload: its tag's length prefix, then Round, Sender, Phase.
        Assert.Equal(4 + 3 * 4, new PayloadFormat(new PayloadCodecRegistry()).MinSize);
    }

    [Fact]
    public void An_array_count_the_frame_cannot_hold_at_the_elements_minimum_size_is_refused_before_allocating()
    {
        byte[] two = Encode(ArrayOf(PointFormat), [new Point(1, 2), new Point(3, 4)]);
        Assert.Equal(4 + 2 * 12, two.Length);
        var claimsThree = (byte[])two.Clone();
        BitConverter.TryWriteBytes(claimsThree, 3);
        var e = Assert.Throws<SerializationException>(() => Decode(ArrayOf(PointFormat), claimsThree));
        Assert.Equal("wire message: array of 3 elements does not fit in the 24 bytes left", e.Message);
        var huge = (byte[])two.Clone();
        BitConverter.TryWriteBytes(huge, int.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<SerializationException>(() => Decode(ArrayOf(PointFormat), huge));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "the refused count must not have been allocated");
    }

    [Fact]
    public void A_sequence_of_elements_that_take_no_bytes_cannot_be_declared()
    {
        var empty = Record<Point>().Build(() => new Point(0, 0));
        Assert.Throws<ArgumentException>(() => ArrayOf(empty));
        Assert.Throws<ArgumentException>(() => PairsOf(empty, empty));
    }

    [Fact]
    public void A_map_is_written_in_key_order_whatever_its_insertion_order()
    {
        var format = MapOf(RequiredString, Long, StringComparer.Ordinal, StringComparer.Ordinal);
        var ab = new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 };
        var ba = new Dictionary<string, long> { ["b"] = 2, ["a"] = 1 };

        Assert.Equal(Encode(format, ab), Encode(format, ba));
        Assert.Equal(ab, Decode(format, Encode(format, ba)));
        // Entries are bounded by key + value minimum size (12 bytes): two entries need 24 bytes after the count.
        var twoEmptyKeys = new byte[4 + 2 * 12];
        BitConverter.TryWriteBytes(twoEmptyKeys, 2);
        Assert.Equal(new Dictionary<string, long> { [""] = 0 }, Decode(format, twoEmptyKeys));
        var e = Assert.Throws<SerializationException>(() => Decode(format, twoEmptyKeys[..^1]));
        Assert.Equal("wire message: array of 2 elements does not fit in the 23 bytes left", e.Message);
    }

    [Fact]
    public void Paired_arrays_of_different_lengths_are_refused_when_written()
    {
        var format = PairsOf(RequiredString, Bytes);
        Assert.Equal(Encode(format, (["x"], [[9]])), Convert.FromHexString("01000000" + "0100000078" + "0100000009"));
        var e = Assert.Throws<SerializationException>(() => Encode(format, (["x", "y"], [[9]])));
        Assert.Equal("paired arrays of 2 and 1 elements cannot be written as pairs", e.Message);
    }

    private abstract record Shape;

    private sealed record Circle(double Radius) : Shape;

    private sealed record Square(int Side) : Shape;

    private sealed record Triangle : Shape;

    private static readonly UnionFormat<Shape> Shapes = Union<Shape>("shape")
        .Case(1, Record<Circle>().Field(c => c.Radius, Float64).Build(radius => new Circle(radius)))
        .Case(2, Record<Square>().Field(s => s.Side, Int).Build(side => new Square(side)));

    [Fact]
    public void A_union_writes_the_case_tag_then_the_case_and_refuses_unknown_tags_and_types()
    {
        Assert.Equal("02000000" + "05000000", Convert.ToHexString(Encode<Shape>(Shapes, new Square(5))));
        Assert.Equal(new Circle(0.5), Decode(Shapes, Encode<Shape>(Shapes, new Circle(0.5))));
        Assert.Equal(4 + 4, Shapes.MinSize);

        var unknownTag = Assert.Throws<SerializationException>(() => Decode(Shapes, Convert.FromHexString("0300000005000000")));
        Assert.Equal("wire message: unknown shape tag 3", unknownTag.Message);
        var unknownType = Assert.Throws<SerializationException>(() => Encode<Shape>(Shapes, new Triangle()));
        Assert.Equal("the wire serializer has no layout for shape Triangle", unknownType.Message);
        Assert.Throws<ArgumentException>(() => Shapes.Case(2, Record<Triangle>().Build(() => new Triangle())));
        Assert.Throws<ArgumentException>(() => Shapes.Case(3, Record<Square>().Field(s => s.Side, Int).Build(side => new Square(side))));
    }

    [Fact]
    public void Every_observation_kind_round_trips_bit_for_bit_and_its_bytes_are_its_declared_fields()
    {
        AsyncObservation[] observations =
        [
            new AsyncObservation.Evaluated(4, 10, 0.5, double.NaN, [1f, float.NaN, -0f], 2.25, 10, 1600),
            new AsyncObservation.Delivered(4, 0, 9, 0.4, double.PositiveInfinity, 800), new AsyncObservation.Dropped(4, 1, 9, -0.0),
            new AsyncObservation.Lost(0, 4, 8, 0.41), new AsyncObservation.Combined(4, 9, 0.45, [0, 2, -1], true),
            new AsyncObservation.Churned(4, 0.2, false),
        ];
        foreach (var o in observations)
        {
            byte[] bytes = Encode(ObservationCodec.Format, o);
            Assert.Equal(bytes, Encode(ObservationCodec.Format, Decode(ObservationCodec.Format, bytes)));
            Assert.True(bytes.Length >= ObservationCodec.Format.MinSize);
        }
        // Churned: tag 6, agent 4, time 0.2, online false.
        Assert.Equal("06000000" + "04000000" + "9A9999999999C93F" + "00000000", Convert.ToHexString(Encode(ObservationCodec.Format, observations[^1])));
    }
}
