using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>The run-secret handshake (Actors/Hosts/JoinMessages.cs).</summary>
internal sealed partial class WireMessages
{
    private static Type[] JoinTypes => [typeof(JoinChallenge), typeof(JoinProof), typeof(JoinRefused)];

    private void AddJoinProtocol()
    {
        Add<JoinChallenge>("jc", (ref WireWriter w, JoinChallenge m) =>
        {
            w.Bytes(m.Nonce);
            w.Bytes(m.Proof);
        }, (ref WireReader r) => new JoinChallenge(r.Bytes(), r.Bytes()));
        Add<JoinProof>("jp", (ref WireWriter w, JoinProof m) =>
        {
            w.Bytes(m.Nonce);
            w.Bytes(m.Proof);
        }, (ref WireReader r) => new JoinProof(r.Bytes(), r.Bytes()));
        Add<JoinRefused>("jr", (ref WireWriter w, JoinRefused m) => w.String(m.Reason), (ref WireReader r) => new JoinRefused(r.RequiredString()));
    }
}
