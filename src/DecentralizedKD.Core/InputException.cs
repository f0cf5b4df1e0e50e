namespace DecentralizedKD.Core;

/// <summary>
/// Bad user input (config key, CLI argument, data or topology file). The message is one line that names the
/// offending key/file and what was expected; the CLI prints it and exits with code 2 instead of a stack trace.
/// </summary>
public class InputException(string message) : Exception(message);
