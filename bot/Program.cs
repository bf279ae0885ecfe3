using CommunityBot.Cli;

if (CommandLineApp.IsVerb(args))
{
    return await CommandLineApp.RunAsync(args);
}

// The server itself is wired by the pipeline work; this branch only adds the command line.
return 0;

public partial class Program;
