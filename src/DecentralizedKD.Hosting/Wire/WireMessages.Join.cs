using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Wire;
using static DecentralizedKD.Core.Wire.WireFormats;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>The run-secret handshake (Actors/Hosts/JoinMessages.cs).</summary>
internal sealed partial class WireMessages
{
    private void DeclareJoinProtocol()
    {
        Declare("jc", Record<JoinChallenge>()
            .Field(m => m.Nonce, Bytes).Field(m => m.Proof, Bytes)
            .Build((nonce, proof) => new JoinChallenge(nonce, proof)));
        Declare("jp", Record<JoinProof>()
            .Field(m => m.Nonce, Bytes).Field(m => m.Proof, Bytes)
            .Build((nonce, proof) => new JoinProof(nonce, proof)));
        Declare("jr", Record<JoinRefused>().Field(m => m.Reason, RequiredString).Build(reason => new JoinRefused(reason)));
    }
}
