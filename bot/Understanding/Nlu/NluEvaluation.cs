using System.Text;

namespace CommunityBot.Understanding.Nlu;

/// <summary>Per-class precision, recall and F1 on held-back rows, with the confusion matrix.</summary>
public sealed class NluEvaluation
{
    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyList<ClassMetrics> Classes { get; init; }

    /// <summary>Confusion[i][j]: rows of true label i predicted as label j.</summary>
    public required int[][] Confusion { get; init; }
    public int Count { get; init; }
    public double Accuracy { get; init; }
    public double MacroF1 => Classes.Count == 0 ? 0 : Classes.Average(c => c.F1);

    public static NluEvaluation Score(NluModel model, IReadOnlyList<NluExample> test)
    {
        var predicted = test.Select(e => model.Predict(e.Text)[0].Label).ToList();
        return Score(test.Select(e => e.Label).ToList(), predicted);
    }

    public static NluEvaluation Score(IReadOnlyList<string> expected, IReadOnlyList<string> predicted)
    {
        var labels = expected.Concat(predicted).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        var confusion = labels.Select(_ => new int[labels.Count]).ToArray();
        for (var i = 0; i < expected.Count; i++)
        {
            confusion[index[expected[i]]][index[predicted[i]]]++;
        }
        var classes = new List<ClassMetrics>();
        var expectedLabels = expected.ToHashSet();
        for (var i = 0; i < labels.Count; i++)
        {
            if (!expectedLabels.Contains(labels[i]))
            {
                continue; // a label never expected has no recall; it still costs the others precision
            }
            var tp = confusion[i][i];
            var support = confusion[i].Sum();
            var predictedCount = confusion.Sum(row => row[i]);
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes.Add(new ClassMetrics(labels[i], precision, recall, f1, support));
        }
        var correct = Enumerable.Range(0, labels.Count).Sum(i => confusion[i][i]);
        return new NluEvaluation
        {
            Labels = labels,
            Classes = classes,
            Confusion = confusion,
            Count = expected.Count,
            Accuracy = expected.Count == 0 ? 0 : (double)correct / expected.Count,
        };
    }

    /// <summary>The confusion matrix as tab-separated text (true label per row, predicted per column).</summary>
    public string ConfusionTable()
    {
        var text = new StringBuilder();
        text.Append("true\\pred\t").AppendJoin('\t', Labels).AppendLine();
        for (var i = 0; i < Labels.Count; i++)
        {
            text.Append(Labels[i]).Append('\t').AppendJoin('\t', Confusion[i]).AppendLine();
        }
        return text.ToString();
    }
}

/// <summary>Precision, recall and F1 of one class over <see cref="Support"/> held-back rows.</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
