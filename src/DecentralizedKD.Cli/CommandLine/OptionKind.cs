namespace DecentralizedKD.Cli.CommandLine;

/// <summary>
/// How the parser reads an option: one value (<c>--agents 16</c>; given twice, the last wins), a switch
/// (<c>--json</c>), or a value that may be given many times (<c>--set key=value</c>; every one is kept).
/// </summary>
public enum OptionKind { Value, Switch, Repeated }
