using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Wire;
using Xunit;
using Xunit.Abstractions;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Tests.Wire;

/// <summary>
/// Hostile frames against the wire serializer: random and mutated bytes under every manifest. "Rejected" means the
/// serializer throws <see cref="SerializationException"/> — the one exception Akka.Remote treats as a frame it drops;
/// any other exception, a crash, or memory beyond a small multiple of the frame's own size fails the test. The
/// sequence is seeded, so a failure names the frame that reproduces it.
/// </summary>
public sealed class HostileFrameTests(ITestOutputHelper output) : TestKit(ClusterAkkaConfig.WireBindings())
{
    private const int Seed = 22;
    private const int Frames = 12_000;

    /// <summary>Fixed headroom for one decode (exception objects, stack traces, actor-path parsing) on top of the per-byte budget.</summary>
    private const long AllocationHeadroom = 256 * 1024;

    /// <summary>Decoded objects may be a few times larger than their bytes (object headers, UTF-16 strings, dictionary buckets).</summary>
    private const long AllocationPerFrameByte = 32;

    private static readonly int[] HostileInts = [int.MaxValue, int.MaxValue - 1, int.MaxValue - 3, int.MaxValue / 4 + 1, 0x4000_0000, int.MinValue, -2, -1, 0];

    private WireSerializer Serializer => (WireSerializer)Sys.Serialization.FindSerializerForType(typeof(StartRound));

    private enum Mutation { Truncated, HugeOrNegativeInt, WrongManifest, Garbage, ValidHeaderGarbageBody, BitFlips, UnknownManifest, TrailingBytes }

    /// <summary>Mutations whose result can never decode: a strict prefix, extra bytes after a whole message, an unknown manifest.</summary>
    private static bool MustReject(Mutation m) => m is Mutation.Truncated or Mutation.UnknownManifest or Mutation.TrailingBytes;

    /// <summary>Every message type, and a gossip message of every payload kind (each payload codec).</summary>
    private List<(string Manifest, byte[] Bytes)> ValidFrames()
    {
        var a = CreateTestProbe("fuzz-a").Ref;
        var b = CreateTestProbe("fuzz-b").Ref;
        Payload[] payloads =
        [
            new GradientPayload(2, 1, [1f, -2f, 3f]), new LogitsPayload(2, 1, 2, 1, 2, [1f, 2f, 3f, 4f]),
            new SoftLabelPayload(2, 1, new SoftLabels([1, 5], [0.25f, 0.75f, 0.5f, 0.5f], 2)) { Phase = 1 },
        ];
        var messages = WireSerializerTests.Samples(a, b).Concat(payloads.Select(p => (object)new GossipMessage(p)));
        return messages.Select(m => (Serializer.Manifest(m), Serializer.ToBinary(m))).ToList();
    }

    [Fact]
    public void Twelve_thousand_hostile_frames_under_every_manifest_are_rejected_or_decoded_never_crash_and_allocate_within_their_size()
    {
        var valid = ValidFrames();
        string[] manifests = valid.Select(v => v.Manifest).Distinct().ToArray();
        var rng = new Random(Seed);
        var rejected = new Dictionary<Mutation, int>();
        var decoded = new Dictionary<Mutation, int>();
        var manifestsHit = new HashSet<string>();
        long largestAllocation = 0;
        for (int frame = 0; frame < Frames; frame++)
        {
            var mutation = (Mutation)(frame % Enum.GetValues<Mutation>().Length);
            var (manifest, bytes) = Mutate(rng, mutation, valid, manifests);
            manifestsHit.Add(manifest);
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool accepted;
            try
            {
                Serializer.FromBinary(bytes, manifest);
                accepted = true;
            }
            catch (SerializationException)
            {
                accepted = false;
            }
            catch (Exception e)
            {
                Assert.Fail($"frame {frame} (seed {Seed}, {mutation}, manifest '{manifest}', {bytes.Length} bytes): {e.GetType().Name} instead of a SerializationException: {e.Message}");
                return;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            largestAllocation = Math.Max(largestAllocation, allocated);
            Assert.True(allocated <= AllocationHeadroom + AllocationPerFrameByte * bytes.Length,
                $"frame {frame} (seed {Seed}, {mutation}, manifest '{manifest}'): {allocated:N0} bytes allocated for a {bytes.Length}-byte frame");
            if (accepted)
            {
                Assert.False(MustReject(mutation), $"frame {frame} (seed {Seed}, {mutation}, manifest '{manifest}') decoded although it cannot be a whole message");
                decoded[mutation] = decoded.GetValueOrDefault(mutation) + 1;
            }
            else rejected[mutation] = rejected.GetValueOrDefault(mutation) + 1;
        }
        foreach (var m in Enum.GetValues<Mutation>())
            output.WriteLine($"{m}: {rejected.GetValueOrDefault(m)} rejected, {decoded.GetValueOrDefault(m)} decoded");
        output.WriteLine($"largest allocation of one decode: {largestAllocation:N0} bytes");

        // Every manifest was attacked, and every kind of mutation produced rejections (the mutations reach the checks).
        Assert.Superset(manifests.ToHashSet(), manifestsHit);
        Assert.All(Enum.GetValues<Mutation>(), m => Assert.True(rejected.GetValueOrDefault(m) > 0, $"{m}: nothing rejected"));
    }

    private static (string Manifest, byte[] Bytes) Mutate(Random rng, Mutation mutation, List<(string Manifest, byte[] Bytes)> valid, string[] manifests)
    {
        var (manifest, original) = valid[rng.Next(valid.Count)];
        switch (mutation)
        {
            case Mutation.Truncated:
                while (original.Length == 0) (manifest, original) = valid[rng.Next(valid.Count)];
                return (manifest, original[..rng.Next(original.Length)]);
            case Mutation.HugeOrNegativeInt:
            {
                while (original.Length < 4) (manifest, original) = valid[rng.Next(valid.Count)];
                var bytes = (byte[])original.Clone();
                BitConverter.TryWriteBytes(bytes.AsSpan(rng.Next(bytes.Length - 3)), HostileInts[rng.Next(HostileInts.Length)]);
                return (manifest, bytes);
            }
            case Mutation.WrongManifest:
                return (manifests[rng.Next(manifests.Length)], original);
            case Mutation.Garbage:
                return (manifests[rng.Next(manifests.Length)], RandomBytes(rng, rng.Next(0, 512)));
            case Mutation.ValidHeaderGarbageBody:
                return (manifest, [.. original.AsSpan(0, rng.Next(original.Length + 1)), .. RandomBytes(rng, rng.Next(0, 256))]);
            case Mutation.BitFlips:
            {
                while (original.Length == 0) (manifest, original) = valid[rng.Next(valid.Count)];
                var bytes = (byte[])original.Clone();
                for (int k = rng.Next(1, 5); k > 0; k--) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                return (manifest, bytes);
            }
            case Mutation.UnknownManifest:
                return (Encoding.ASCII.GetString(RandomBytes(rng, rng.Next(3, 8)).Select(c => (byte)('A' + c % 26)).ToArray()), original);
            case Mutation.TrailingBytes:
                return (manifest, [.. original, .. RandomBytes(rng, rng.Next(1, 17))]);
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_chunk_naming_another_serializer_or_out_of_its_order_is_rejected_and_dropped_by_an_actor()
    {
        var assembler = new ChunkAssembler(Sys);
        var json = Sys.Serialization.FindSerializerForType(typeof(object)).Identifier;
        Assert.Throws<SerializationException>(() => assembler.Add(new WireChunk(1, 0, 1, json, "System.Object", [1, 2]), TestActor));
        Assert.Throws<SerializationException>(() => assembler.Add(new WireChunk(2, 1, 2, WireSerializer.Id, "st", [1, 2]), TestActor));
        Assert.Throws<SerializationException>(() => assembler.Add(new WireChunk(3, 0, 0, WireSerializer.Id, "st", [1, 2]), TestActor));
        Assert.Throws<SerializationException>(() => assembler.Add(new WireChunk(4, 0, 1, WireSerializer.Id, "st", [1, 2]), TestActor));
        Assert.Null(assembler.AddOrDrop(new WireChunk(5, 0, 1, json, "System.Object", [1, 2]), TestActor));
        Assert.Equal(0, assembler.Pending);
        var whole = assembler.AddOrDrop(new WireChunk(6, 0, 1, WireSerializer.Id, "st", Serializer.ToBinary(new StartRound(9))), TestActor);
        Assert.Equal(new StartRound(9), whole);
    }

    /// <summary>Carries bytes and a manifest chosen by the test to the wire: the sending system's stand-in for a hostile peer.</summary>
    internal sealed record HostileFrame(string Manifest, byte[] Bytes);

    /// <summary>Writes a <see cref="HostileFrame"/>'s bytes as they are, under the wire serializer's id, so the receiver decodes them with it.</summary>
    internal sealed class HostileFrameSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
    {
        public override int Identifier => WireSerializer.Id;
        public override string Manifest(object o) => ((HostileFrame)o).Manifest;
        public override byte[] ToBinary(object obj) => ((HostileFrame)obj).Bytes;
        public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException("the hostile peer only sends");
    }

    [Fact]
    public async Task An_actor_system_receiving_hostile_frames_over_the_network_stays_up_and_keeps_delivering()
    {
        const string remote = "akka.actor.provider = remote\nakka.remote.dot-netty.tcp { hostname = \"127.0.0.1\", port = 0 }";
        using var receiver = ActorSystem.Create("dkd", ConfigurationFactory.ParseString(remote).WithFallback(ClusterAkkaConfig.WireBindings()));
        var hostileConfig = ConfigurationFactory.ParseString(remote + $$"""

            akka.actor.serializers.hostile = "{{typeof(HostileFrameSerializer).AssemblyQualifiedName}}"
            akka.actor.serialization-bindings { "{{typeof(HostileFrame).AssemblyQualifiedName}}" = hostile }
            """);
        using var hostile = ActorSystem.Create("dkd", hostileConfig);
        try
        {
            var inbox = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            receiver.ActorOf(Props.Create(() => new Sink(inbox)), "sink");
            var address = ((ExtendedActorSystem)receiver).Provider.DefaultAddress;
            var target = ((ExtendedActorSystem)hostile).Provider.ResolveActorRef(new RootActorPath(address) / "user" / "sink");

            var valid = ValidFrames();
            string[] manifests = valid.Select(v => v.Manifest).Distinct().ToArray();
            var rng = new Random(Seed + 1);
            // Only mutations that cannot decode, so nothing but the marker below reaches the sink.
            Mutation[] rejecting = [Mutation.Truncated, Mutation.UnknownManifest, Mutation.TrailingBytes];
            for (int frame = 0; frame < 600; frame++)
            {
                var (manifest, bytes) = Mutate(rng, rejecting[frame % rejecting.Length], valid, manifests);
                target.Tell(new HostileFrame(manifest, bytes));
            }
            var marker = new StartRound(424_242);
            target.Tell(new HostileFrame(Serializer.Manifest(marker), Serializer.ToBinary(marker)));

            var first = await inbox.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(marker, first);
            Assert.False(receiver.WhenTerminated.IsCompleted);
        }
        finally
        {
            await Task.WhenAll(hostile.Terminate(), receiver.Terminate()).WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>Completes with the first message that reaches it.</summary>
    private sealed class Sink : ReceiveActor
    {
        public Sink(TaskCompletionSource<object> inbox) => ReceiveAny(m => inbox.TrySetResult(m));
    }
}
