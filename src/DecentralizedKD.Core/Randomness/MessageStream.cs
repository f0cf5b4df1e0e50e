namespace DecentralizedKD.Core.Randomness;

/// <summary>
/// A random stream that belongs to one message: (experiment seed, sender, round, exchange, purpose). Anyone who knows
/// those five values can rebuild it, so a receiver regenerates what the sender drew (random-k's coordinates) without
/// the draws travelling, and no stream has a position to save in a checkpoint: the next message's stream does not
/// depend on how many draws the previous one took.
/// </summary>
public static class MessageStream
{
    public static Rng For(ulong seed, int sender, int round, int exchange, string purpose) =>
        Rng.Derive(Rng.DeriveSeed(seed, sender, purpose), ((long)round << 16) | (uint)exchange, "message");
}
