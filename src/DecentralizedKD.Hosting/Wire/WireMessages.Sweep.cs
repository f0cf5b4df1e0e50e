using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>Layouts of a sweep across hosts (Actors/Hosts/SweepMessages.cs); run folders travel as raw bytes, chunked.</summary>
internal sealed partial class WireMessages
{
    private static Type[] SweepTypes =>
        [typeof(SweepWorkerReady), typeof(SweepWorkerAnswer), typeof(SweepRunRequest), typeof(SweepRunAssigned), typeof(SweepRunFiles), typeof(SweepDone)];

    private void AddSweepProtocol()
    {
        Add<SweepWorkerReady>("wy", (ref WireWriter w, SweepWorkerReady m) =>
        {
            w.String(m.Fingerprint);
            w.Int32(m.Slots);
        }, (ref WireReader r) => new SweepWorkerReady(r.RequiredString(), r.Int32()));
        Add<SweepWorkerAnswer>("wa", (ref WireWriter w, SweepWorkerAnswer m) =>
        {
            w.Bool(m.Accepted);
            w.String(m.Reason);
        }, (ref WireReader r) => new SweepWorkerAnswer(r.Bool(), r.String()));
        Add<SweepRunRequest>("wq", (ref WireWriter _, SweepRunRequest _) => { }, (ref WireReader _) => new SweepRunRequest());
        Add<SweepRunAssigned>("wr", (ref WireWriter w, SweepRunAssigned m) => w.Int32(m.RunIndex), (ref WireReader r) => new SweepRunAssigned(r.Int32()));
        Add<SweepRunFiles>("wf", (ref WireWriter w, SweepRunFiles m) =>
        {
            w.Int32(m.RunIndex);
            w.Bool(m.Ok);
            w.String(m.Error);
            w.Int32(m.Paths.Length);
            for (int k = 0; k < m.Paths.Length; k++)
            {
                w.String(m.Paths[k]);
                w.Bytes(m.Contents[k]);
            }
        }, (ref WireReader r) =>
        {
            int index = r.Int32();
            bool ok = r.Bool();
            string? error = r.String();
            int n = r.SequenceCount(8);
            var paths = new string[n];
            var contents = new byte[n][];
            for (int k = 0; k < n; k++)
            {
                paths[k] = r.RequiredString();
                contents[k] = r.Bytes();
            }
            return new SweepRunFiles(index, ok, error, paths, contents);
        });
        Add<SweepDone>("wd", (ref WireWriter _, SweepDone _) => { }, (ref WireReader _) => new SweepDone());
    }
}
