namespace DecentralizedKD.Cli.CommandLine;

/// <summary>Whether an option takes a value (<c>--agents 16</c>) or is a switch (<c>--json</c>).</summary>
public enum OptionKind { Value, Switch, Repeated }
