namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// One message exchange of a round as the method defines it: the payload kind each agent sends on a link and its
/// exact size in bytes. Synchronous virtual time and the summaries are computed from these.
/// </summary>
public readonly record struct PayloadExchange(string Kind, long Bytes);
