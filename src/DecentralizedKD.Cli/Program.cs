using DecentralizedKD.Cli;

return Dkd.Main(args, Console.Out, Console.Error);
