namespace DecentralizedKD.TestSupport;

/// <summary>A test failure (the inner exception) with the output tails of the child processes the test started.</summary>
public sealed class ChildOutputException(string message, Exception failure) : Exception(message, failure);
