using System.Collections;
using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Hosting.Wire;
using Xunit;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Hosting.Tests.Wire;

/// <summary>
/// Round-trip helpers any codec plugs into. A new payload kind's test is one line:
/// <c>WireRoundTrip.AssertPayload(new MyPayload(...) { Phase = 1 });</c> (after registering its codec).
/// Values are compared field by field; floats bit for bit (NaN, -0 and subnormals must survive).
/// </summary>
public static class WireRoundTrip
{
    /// <summary>The payload through the registry alone, then inside a GossipMessage and a HostGossip through the serializer.</summary>
    public static void AssertPayload(Payload payload, PayloadCodecRegistry? registry = null)
    {
        var codecs = registry ?? PayloadCodecRegistry.Default;
        var measure = WireWriter.Measure();
        codecs.Write(ref measure, payload);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        codecs.Write(ref w, payload);
        Assert.Equal(bytes.Length, w.Position);
        var r = new WireReader(bytes);
        var back = codecs.Read(ref r);
        r.End();
        AssertSame(payload, back);
        Assert.Equal(payload.Kind, back.Kind);
        Assert.Equal(payload.Bytes, back.Bytes);
        // Raw float32 on the wire: the encoding is never much bigger than the data it carries.
        Assert.True(bytes.Length <= payload.Bytes + 64, $"{payload.GetType().Name}: {bytes.Length} wire bytes for {payload.Bytes} data bytes");
    }

    /// <summary>Serialize and deserialize with the serializer (manifest included).</summary>
    public static T Message<T>(WireSerializer serializer, T message) where T : notnull
    {
        var bytes = serializer.ToBinary(message);
        return (T)serializer.FromBinary(bytes, serializer.Manifest(message));
    }

    /// <summary>Deep equality over public properties; arrays and dictionaries element-wise; floats bitwise.</summary>
    public static void AssertSame(object? expected, object? actual, string path = "")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: {expected ?? "null"} vs {actual ?? "null"}");
            return;
        }
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case float f:
                Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)actual));
                return;
            case double d:
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
                return;
            case string or int or long or bool or byte or Enum:
                Assert.Equal(expected, actual);
                return;
            case IActorRef a:
                Assert.Equal(a.Path.ToString(), ((IActorRef)actual).Path.ToString());
                return;
            case IDictionary de:
                var da = (IDictionary)actual;
                Assert.Equal(de.Count, da.Count);
                foreach (DictionaryEntry e in de)
                {
                    Assert.True(da.Contains(e.Key), $"{path}: missing key {e.Key}");
                    AssertSame(e.Value, da[e.Key], $"{path}[{e.Key}]");
                }
                return;
            case IEnumerable se when expected is not string:
                var le = se.Cast<object?>().ToList();
                var la = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.Equal(le.Count, la.Count);
                for (int k = 0; k < le.Count; k++) AssertSame(le[k], la[k], $"{path}[{k}]");
                return;
        }
        foreach (var p in expected.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
            AssertSame(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}");
    }
}
