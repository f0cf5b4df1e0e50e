using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Wire;
using static DecentralizedKD.Core.Wire.WireFormats;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>Layouts of a sweep across hosts (Actors/Hosts/SweepMessages.cs); run folders travel as raw bytes, chunked.</summary>
internal sealed partial class WireMessages
{
    private void DeclareSweepProtocol()
    {
        Declare("wy", Record<SweepWorkerReady>()
            .Field(m => m.Fingerprint, RequiredString).Field(m => m.Slots, Int)
            .Build((fingerprint, slots) => new SweepWorkerReady(fingerprint, slots)));
        Declare("wa", Record<SweepWorkerAnswer>()
            .Field(m => m.Accepted, Bool).Field(m => m.Reason, NullableString)
            .Build((accepted, reason) => new SweepWorkerAnswer(accepted, reason)));
        Declare("wq", Record<SweepRunRequest>().Build(() => new SweepRunRequest()));
        Declare("wr", Record<SweepRunAssigned>().Field(m => m.RunIndex, Int).Build(run => new SweepRunAssigned(run)));
        Declare("wf", Record<SweepRunFiles>()
            .Field(m => m.RunIndex, Int).Field(m => m.Ok, Bool).Field(m => m.Error, NullableString)
            .Field(m => (m.Paths, m.Contents), PairsOf(RequiredString, Bytes))
            .Build((run, ok, error, files) => new SweepRunFiles(run, ok, error, files.Item1, files.Item2)));
        Declare("wd", Record<SweepDone>().Build(() => new SweepDone()));
    }
}
