using System.Diagnostics;
using CommunityBot.Storage;
using CommunityBot.Understanding.Nlu;
using Spectre.Console;

namespace CommunityBot.Cli;

/// <summary>
/// The <c>nlu train FILE</c> verb: retrains the category model from an office's own past cases (their labels
/// become the model's taxonomy), reports per-class precision/recall/F1 on a stratified 20 % held back, then
/// trains on every row and saves the model in the data directory for the server's next start.
/// </summary>
public static class NluTrainCommand
{
    public const double HoldOut = 0.2;

    public static int Run(string path, StorageOptions storage, NluOptions options, TextWriter output, TextWriter error)
    {
        List<NluExample> examples;
        try
        {
            examples = NluDataset.Read(path);
            Check(examples);
        }
        catch (NluFormatException ex)
        {
            error.WriteLine($"Nothing was trained or replaced. {ex.Message}");
            return 2;
        }

        // The database lock says whether a server (or another verb) owns the data directory.
        LiteDB.LiteDatabase database;
        try
        {
            database = StorageExtensions.OpenDatabase(storage);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine(ex.Message);
            return 3;
        }
        catch (StoreVersionException ex)
        {
            error.WriteLine(ex.Message);
            return CliStorage.StoreTooNew;
        }
        using (database)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            NluEvaluation evaluation = null!;
            NluModel model = null!;
            var trainSeconds = 0.0;
            void Work(Action<string, double> step)
            {
                var (train, test) = NluTrainer.Split(examples, HoldOut, seed: 1);
                step($"Training on {train.Count} rows, holding back {test.Count}…", 5);
                var timer = Stopwatch.StartNew();
                evaluation = NluEvaluation.Score(NluTrainer.Train(train, options, problemOnly: true), test);
                trainSeconds = timer.Elapsed.TotalSeconds;
                step($"Training the final model on all {examples.Count} rows…", 50);
                model = NluTrainer.Train(examples, options, problemOnly: true);
                step("Saving…", 95);
            }
            if (console.Profile.Capabilities.Interactive)
            {
                console.Progress().Start(context =>
                {
                    var task = context.AddTask($"nlu train {Path.GetFileName(path)}");
                    Work((description, percent) =>
                    {
                        task.Description = description;
                        task.Value = percent;
                    });
                    task.Value = 100;
                });
            }
            else
            {
                Work((description, _) => error.WriteLine(description));
            }

            var store = new NluModelStore(storage.DataDir, NluModelStore.DefaultShippedDir, options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            store.Save(NluModelStore.CategoryKind, model, new NluModelInfo
            {
                Source = Path.GetFileName(path),
                Labels = model.Labels,
                Rows = examples.Count,
                TrainedAt = DateTimeOffset.UtcNow,
                TrainSeconds = trainSeconds,
            });

            output.WriteLine($"Held back {evaluation.Count} of {examples.Count} rows (stratified {HoldOut:P0}); trained on the rest in {trainSeconds:F1} s.");
            output.WriteLine($"{"label",-12}\tprecision\trecall\tf1\tsupport");
            foreach (var c in evaluation.Classes)
            {
                output.WriteLine($"{c.Label,-12}\t{c.Precision:F3}\t{c.Recall:F3}\t{c.F1:F3}\t{c.Support}");
            }
            output.WriteLine($"accuracy {evaluation.Accuracy:F4}  macro-F1 {evaluation.MacroF1:F4}");
            output.WriteLine($"Saved the category model ({model.Labels.Count} labels: {string.Join(", ", model.Labels)}) to {store.ModelPath(NluModelStore.CategoryKind)}; the server uses it from its next start.");
            return 0;
        }
    }

    private static void Check(List<NluExample> examples)
    {
        var counts = examples.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count < 2)
        {
            throw new NluFormatException($"only one label ({counts.Keys.Single()}); a category model needs at least two.");
        }
        foreach (var (label, count) in counts.Where(c => c.Value < 2).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var line = examples.First(e => e.Label == label).Line;
            throw new NluFormatException($"the label \"{label}\" (line {line}) has only {count} row; every label needs at least two (one to learn from, one to check).");
        }
    }
}
