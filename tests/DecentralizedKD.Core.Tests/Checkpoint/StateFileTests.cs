using System.Security.Cryptography;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Metrics;
using Xunit;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Tests.Checkpoint;

/// <summary>State files reject anything but the exact file the run expects, each time with one line naming the file.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkd-statefile-").FullName;
    private static readonly string Hash = CheckpointFormat.ConfigHash("experiment.seed = \"0\"\n");
    private static readonly StateFileHeader Agent3 = new(Hash, StateOwner.Agent, 3, 10);

    public void Dispose() => Directory.Delete(_dir, true);

    private string Written()
    {
        string path = Path.Combine(_dir, "agent-3.bin");
        StateFile.Write(path, Agent3, w => w.WriteFloats([1.5f, float.NaN, -0f]));
        return path;
    }

    private static string Error(Action read) => Assert.Throws<InputException>(read).Message;

    [Fact]
    public void Body_reads_back_exactly()
    {
        var values = new float[3];
        StateFile.Read(Written(), Agent3, r => r.ReadFloats(values, "values"));
        Assert.Equal(BitConverter.SingleToInt32Bits(1.5f), BitConverter.SingleToInt32Bits(values[0]));
        Assert.True(float.IsNaN(values[1]));
        Assert.True(float.IsNegative(values[2]));
    }

    [Fact]
    public void A_flipped_byte_or_a_cut_file_is_corrupt()
    {
        string path = Written();
        var good = File.ReadAllBytes(path);
        string Corrupt(byte[] bytes)
        {
            File.WriteAllBytes(path, bytes);
            return Error(() => StateFile.Read(path, Agent3, _ => { }));
        }
        var flipped = (byte[])good.Clone();
        flipped[^40] ^= 1;   // inside the body
        Assert.Equal($"checkpoint file '{path}' is corrupt (checksum mismatch)", Corrupt(flipped));
        Assert.EndsWith("is corrupt (checksum mismatch)", Corrupt(good[..^5]));
        Assert.EndsWith("is not a dkd checkpoint file (bad magic or too short)", Corrupt(good[..20]));
        Assert.StartsWith($"checkpoint file '{path}.missing' cannot be read", Error(() => StateFile.Read(path + ".missing", Agent3, _ => { })));
    }

    [Fact]
    public void Another_version_config_owner_or_round_is_refused()
    {
        string path = Written();
        Assert.Contains("belongs to a different configuration", Error(() => StateFile.Read(path, Agent3 with { ConfigHash = CheckpointFormat.ConfigHash("x") }, _ => { })));
        Assert.Contains("holds Agent 3 after round 10, expected Agent 4 after round 10", Error(() => StateFile.Read(path, Agent3 with { Id = 4 }, _ => { })));
        Assert.Contains("expected Agent 3 after round 12", Error(() => StateFile.Read(path, Agent3 with { Round = 12 }, _ => { })));
        // Another version with a valid checksum: refused for its version, not as corrupt.
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(CheckpointFormat.Version + 1).CopyTo(bytes, 8);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
        File.WriteAllBytes(path, bytes);
        Assert.Contains($"has format version {CheckpointFormat.Version + 1}; this build reads version {CheckpointFormat.Version}", Error(() => StateFile.Read(path, Agent3, _ => { })));
    }

    [Fact]
    public void A_body_of_another_layout_is_refused()
    {
        string path = Written();
        Assert.Contains("does not match this run's state: values: saved length 3, this run has 4",
            Error(() => StateFile.Read(path, Agent3, r => r.ReadFloats(new float[4], "values"))));
        Assert.Contains("state longer than what was read", Error(() => StateFile.Read(path, Agent3, r => r.ReadInt32())));
        Assert.Contains("expected state 'dpsgd'", Error(() => StateFile.Read(path, Agent3, r => r.ExpectTag("dpsgd"))));
    }

    [Fact]
    public void Coordinator_state_round_trips_every_field()
    {
        var rows = new[]
        {
            new MetricsRow(4, 0.12, 0.5, 0.25, 0.2, 0.3, 0.26, 2.25, 1e-3, 4096),
            new MetricsRow(8, 0.24, 0.9, 0.5, 0.4, 0.6, double.NaN, 1.5, 2e-4, 8192),
        };
        var state = new CoordinatorState(9, 1.25, rows, [0.5, 0.4, 0.6], [100, 200, 300],
            new Dictionary<string, long> { ["parameters"] = 500, ["feature-sums"] = 100 }, 600, [1.5, 2.5, 3.5], 3);
        string path = Path.Combine(_dir, "coordinator.bin");
        var header = new StateFileHeader(Hash, StateOwner.Coordinator, 0, 9);
        StateFile.Write(path, header, state.Write);
        CoordinatorState? back = null;
        StateFile.Read(path, header, r => back = CoordinatorState.Read(r, 3));
        Assert.Equal(9, back!.CompletedRounds);
        Assert.Equal(1.25, back.WallSeconds);
        Assert.Equal(rows, back.Rows);
        Assert.Equal(state.LastAccuracies, back.LastAccuracies);
        Assert.Equal(state.BytesPerAgent, back.BytesPerAgent);
        Assert.Equal(state.BytesByKind.OrderBy(kv => kv.Key), back.BytesByKind.OrderBy(kv => kv.Key));
        Assert.Equal(600, back.BytesTotal);
        Assert.Equal(state.LossSums, back.LossSums);
        Assert.Equal(3, back.LossCount);
        Assert.Contains("does not match this run's state: 3 accuracies for 4 agents", Error(() => StateFile.Read(path, header, r => CoordinatorState.Read(r, 4))));
    }
}
