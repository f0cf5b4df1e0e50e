namespace DecentralizedKD.Cli.Tests;

/// <summary>The dkd entry point in this process, with what it printed: how CLI tests run a command.</summary>
public static class DkdRunner
{
    public static (int Code, string Out, string Err) Dkd(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Dkd.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
