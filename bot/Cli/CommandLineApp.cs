using System.CommandLine;
using System.Text;
using CommunityBot.Faq;
using CommunityBot.Storage;
using CommunityBot.Understanding;
using LiteDB;
using Spectre.Console;

namespace CommunityBot.Cli;

/// <summary>
/// The admin verbs of the <c>CommunityBot</c> executable (<c>faq import|export</c>, <c>classify</c>, <c>nlu train</c>); with no verb
/// the executable runs the server instead.
/// </summary>
public static class CommandLineApp
{
    private static readonly string[] Verbs = ["faq", "classify", "nlu", "directory", "calendar", "report", "admin", "backup", "restore"];

    /// <summary>Whether <paramref name="args"/> name a verb (options such as <c>--data-dir DIR</c> may come first).</summary>
    public static bool IsVerb(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data-dir")
            {
                i++;
                continue;
            }
            if (args[i].StartsWith('-'))
            {
                continue;
            }
            return Verbs.Contains(args[i]);
        }
        return false;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // Buffered stdout: classify writes many lines; flush once at the end unless a person is typing.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16)
        {
            AutoFlush = !Console.IsInputRedirected,
        };
        try
        {
            return await RunAsync(args, Console.In, stdout, Console.Error, CancellationToken.None);
        }
        finally
        {
            await stdout.FlushAsync();
        }
    }

    /// <summary>Runs the verb with the given streams (what tests call).</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "The data directory (default: $CommunityBot__DataDir, else ./data).",
            Recursive = true,
        };

        var importFile = new Argument<FileInfo>("FILE") { Description = "A .csv or .xlsx file with columns id,question,similar,answer[,category][,scope]; a scope names a compound or community of the directory." };
        var replace = new Option<bool>("--replace") { Description = "Replace the whole knowledge base instead of upserting entries by id." };
        var import = new Command("import", "Import FAQ entries from a .csv or .xlsx file.") { importFile, replace };
        import.SetAction(parse => WithDirectory(parse.GetValue(dataDir), error, (store, directory) =>
            Import(store, directory, parse.GetValue(importFile)!.FullName, parse.GetValue(replace), output, error)));

        var exportFile = new Argument<FileInfo>("FILE") { Description = "The .csv or .xlsx file to write." };
        var export = new Command("export", "Export the knowledge base to a .csv or .xlsx file.") { exportFile };
        export.SetAction(parse => WithDirectory(parse.GetValue(dataDir), error, (store, directory) =>
        {
            var entries = store.All();
            FaqFileFormat.Write(parse.GetValue(exportFile)!.FullName, entries, v => FaqScopes.NameOf(directory, v));
            output.WriteLine($"Exported {entries.Count} entries to {parse.GetValue(exportFile)!.FullName}.");
            return 0;
        }));

        var minSimilarity = new Option<double>("--min") { Description = "Lowest similarity (0–1) of a pair to list.", DefaultValueFactory = _ => FaqIndex.DuplicateSimilarity };
        var duplicates = new Command("duplicates", "List pairs of enabled entries that say nearly the same (merge them: a resident gets either).") { minSimilarity };
        duplicates.SetAction(parse => WithStore(parse.GetValue(dataDir), error, store =>
            FaqDuplicates.Run(store, parse.GetValue(minSimilarity), output, error)));

        var faq = new Command("faq", "Manage the FAQ knowledge base.") { import, export, duplicates };

        var stats = new Option<bool>("--stats") { Description = "Write throughput and latency (p50/p99) to standard error at the end." };
        var candidates = new Option<bool>("--candidates") { Description = "Add every scored candidate as \"ranked\" (for evaluation; not part of the stable shape)." };
        var classify = new Command("classify", "Read one message per line on standard input, write one JSON object per line.") { stats, candidates };
        classify.SetAction(parse => WithStore(parse.GetValue(dataDir), error, store =>
            Classifier.Run(store, input, output, error, parse.GetValue(stats), parse.GetValue(candidates),
                Classifier.LoadModels(Storage(parse.GetValue(dataDir)), error))));

        var trainFile = new Argument<FileInfo>("FILE") { Description = "A .csv or .xlsx file with columns text,label: the office's own past cases and their categories." };
        var train = new Command("train", "Retrain the grievance-category model; prints precision/recall on a held-back 20 %.") { trainFile };
        train.SetAction(parse => NluTrainCommand.Run(parse.GetValue(trainFile)!.FullName, Storage(parse.GetValue(dataDir)), Classifier.NluSettings(), output, error));
        var testFile = new Argument<FileInfo>("FILE") { Description = "A .csv or .xlsx file with columns text,label to score the models on." };
        var testModel = new Option<string>("--model") { Description = "Which model to score: intent or category.", DefaultValueFactory = _ => "category" };
        var testErrors = new Option<bool>("--errors") { Description = "Also list every misclassified row." };
        var test = new Command("test", "Score the intent or category model on a labelled file (precision/recall/F1, confusion matrix).") { testFile, testModel, testErrors };
        test.SetAction(parse => WithStore(parse.GetValue(dataDir), error, _ => NluTestCommand.Run(
            parse.GetValue(testFile)!.FullName, parse.GetValue(testModel)!, parse.GetValue(testErrors), Storage(parse.GetValue(dataDir)), output, error)));
        var nlu = new Command("nlu", "Manage the intent and category models.") { train, test };

        var root = new RootCommand("CommunityBot: run with no verb to start the server.") { faq, classify, nlu };
        root.Options.Add(dataDir);
        root.Subcommands.Add(DirectoryCommands.Create(dataDir, output, error));
        root.Subcommands.Add(Clocks.CalendarCommands.Create(dataDir, output, error));
        root.Subcommands.Add(Oversight.ReportCommands.Create(dataDir, output, error));
        root.Subcommands.Add(Admin.AdminCommands.Create(dataDir, input, output, error));
        foreach (var command in BackupCommands.Create(dataDir, output, error))
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static StorageOptions Storage(string? dataDir) => CliStorage.Storage(dataDir);

    private static int WithStore(string? dataDir, TextWriter error, Func<FaqStore, int> action) => CliStorage.WithDatabase(dataDir, error, database =>
    {
        try
        {
            return action(new FaqStore(database));
        }
        catch (FaqFormatException ex)
        {
            error.WriteLine($"Nothing was imported. {ex.Message}");
            return 2;
        }
    });

    // The knowledge base with the directory its variants' scopes are checked against (both in the same data directory).
    private static int WithDirectory(string? dataDir, TextWriter error, Func<FaqStore, Directory.DirectorySnapshot, int> action) =>
        CliStorage.WithDatabase(dataDir, error, database =>
        {
            try
            {
                return action(new FaqStore(database), new Directory.DirectorySnapshot(new Directory.DirectoryStore(database).Load()));
            }
            catch (FaqFormatException ex)
            {
                error.WriteLine($"Nothing was imported. {ex.Message}");
                return 2;
            }
        });

    private static int Import(FaqStore store, Directory.DirectorySnapshot directory, string path, bool replace, TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        List<FaqEntry> entries = [];
        void Work(Action<string> status)
        {
            entries = FaqFileFormat.Read(path);
            FaqScopes.Resolve(entries, directory);
            status($"Writing {entries.Count} entries…");
            if (replace)
            {
                store.ReplaceAll(entries);
            }
            else
            {
                store.Upsert(entries);
            }
        }
        if (console.Profile.Capabilities.Interactive)
        {
            console.Status().Start($"Reading {Path.GetFileName(path)}…", context => Work(s => context.Status(s)));
        }
        else
        {
            Work(_ => { });
        }
        output.WriteLine($"{(replace ? "Replaced the knowledge base with" : "Imported")} {entries.Count} entries; the knowledge base now holds {store.Count()}.");
        return 0;
    }
}
