using DecentralizedKD.Cli;
using Serilog;
using Serilog.Events;

// Logs go to stderr so stdout stays clean for tables, JSON and the final `results: <dir>` line.
Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose,
        outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
    .CreateLogger();
try
{
    return Dkd.Run(args, Console.Out, Console.Error);
}
finally
{
    Log.CloseAndFlush();
}
