namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// The exchanges of one FedAvg/FedDKD round with S distillation steps, 2S + 2 phases:
/// phase 0 clients upload their teachers w_k; phase 2s−1 (s = 1..S) the server sends the student w; phase 2s the
/// clients return ∇D_k(w); phase 2S+1 the server broadcasts w_g. Clients send in even phases, the server in odd ones.
/// FedAvg is S = 0: upload, then broadcast.
/// </summary>
public readonly record struct FedDkdSchedule(int Steps)
{
    public int Phases => 2 * Steps + 2;

    /// <summary>Whether the server sends in this phase (odd phases); otherwise the clients do.</summary>
    public static bool ServerSends(int phase) => phase % 2 == 1;

    /// <summary>Phase 2s: clients return distillation gradients (s ≥ 1).</summary>
    public static bool IsGradientUp(int phase) => phase > 0 && phase % 2 == 0;

    /// <summary>Phase 2S+1: the server broadcasts the new global model.</summary>
    public bool IsFinalBroadcast(int phase) => phase == Phases - 1;
}
