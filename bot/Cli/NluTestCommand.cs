using CommunityBot.Storage;
using CommunityBot.Understanding.Nlu;

namespace CommunityBot.Cli;

/// <summary>
/// The <c>nlu test FILE</c> verb: scores the models the server would use (cached, or trained from the shipped data)
/// on a labelled file, with per-class precision/recall/F1, macro-F1 and the confusion matrix. For evaluation.
/// </summary>
public static class NluTestCommand
{
    public static int Run(string path, string kind, bool errors, StorageOptions storage, TextWriter output, TextWriter error)
    {
        if (kind is not (NluModelStore.IntentKind or NluModelStore.CategoryKind))
        {
            error.WriteLine($"--model must be {NluModelStore.IntentKind} or {NluModelStore.CategoryKind}, not \"{kind}\".");
            return 2;
        }
        List<NluExample> examples;
        try
        {
            examples = NluDataset.Read(path);
        }
        catch (NluFormatException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
        var options = Classifier.NluSettings();
        var store = new NluModelStore(storage.DataDir, NluModelStore.DefaultShippedDir, options, new TextWriterLogger(error));
        NluModel intent, category;
        try
        {
            (intent, category) = store.LoadOrTrain();
        }
        catch (NluFormatException ex)
        {
            error.WriteLine($"The models cannot be trained: {ex.Message}");
            return 2;
        }
        var model = kind == NluModelStore.IntentKind ? intent : category;
        var predicted = examples.Select(e => model.Predict(e.Text)[0].Label).ToList();
        var evaluation = NluEvaluation.Score(examples.Select(e => e.Label).ToList(), predicted);

        output.WriteLine($"{kind} model on {examples.Count} rows of {Path.GetFileName(path)}");
        output.WriteLine($"{"label",-12}\tprecision\trecall\tf1\tsupport");
        foreach (var c in evaluation.Classes)
        {
            output.WriteLine($"{c.Label,-12}\t{c.Precision:F3}\t{c.Recall:F3}\t{c.F1:F3}\t{c.Support}");
        }
        output.WriteLine($"accuracy {evaluation.Accuracy:F4}  macro-F1 {evaluation.MacroF1:F4}");
        output.WriteLine();
        output.Write(evaluation.ConfusionTable());
        if (errors)
        {
            output.WriteLine();
            for (var i = 0; i < examples.Count; i++)
            {
                if (predicted[i] != examples[i].Label)
                {
                    output.WriteLine($"{examples[i].Label}\t→ {predicted[i]}\t{examples[i].Text}");
                }
            }
        }
        return 0;
    }
}
