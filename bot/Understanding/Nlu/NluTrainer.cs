using CommunityBot.Dialogs.Understanding;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// Trains a linear text classifier with ML.NET: character n-grams (1..<see cref="NluOptions.CharNgrams"/>) of the
/// message plus word n-grams over ICU words, L2-normalised and concatenated, into a maximum-entropy model whose
/// softmax scores serve as probabilities.
/// </summary>
public static class NluTrainer
{
    /// <summary>Bump when the pre-processing or pipeline changes, so cached models are retrained.</summary>
    public const int FeatureVersion = 2;

    /// <param name="problemOnly">Learn from (and later read) the problem without its trigger words: the category model.</param>
    public static NluModel Train(IReadOnlyList<NluExample> examples, NluOptions options, int seed = 1, bool problemOnly = false)
    {
        var counts = examples.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count < 2)
        {
            throw new NluFormatException("Training needs at least two different labels.");
        }
        var rows = examples
            .Select(e => NluFeatureRow.From(problemOnly ? ReportTriggers.Strip(e.Text) : e.Text, e.Label,
                options.BalanceClasses ? (float)examples.Count / (counts.Count * counts[e.Label]) : 1f))
            .ToList();

        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Label")
            .Append(ml.Transforms.Text.FeaturizeText("CharFeatures", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.None,
                KeepDiacritics = true,
                KeepPunctuations = true,
                KeepNumbers = true,
                WordFeatureExtractor = null,
                CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.CharNgrams, UseAllLengths = true, Weighting = Weighting(options) },
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, "Chars"));
        var featureColumns = new List<string> { "CharFeatures" };
        IEstimator<ITransformer> features = pipeline;
        if (options.WordNgrams > 0)
        {
            features = pipeline.Append(ml.Transforms.Text.FeaturizeText("WordFeatures", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.None,
                KeepDiacritics = true,
                KeepPunctuations = true,
                KeepNumbers = true,
                WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.WordNgrams, UseAllLengths = true, Weighting = Weighting(options) },
                CharFeatureExtractor = null,
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, "Words"));
            featureColumns.Add("WordFeatures");
        }
        var full = features
            .Append(ml.Transforms.Concatenate("Features", [.. featureColumns]))
            .AppendCacheCheckpoint(ml)
            .Append(Trainer(ml, options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var transformer = full.Fit(data);
        return new NluModel(ml, transformer, data.Schema, problemOnly);
    }

    /// <summary>
    /// Holds back a stratified <paramref name="holdOut"/> share of each label (at least one row of every label with
    /// two or more), trains on the rest and scores the held-back rows.
    /// </summary>
    public static NluEvaluation Evaluate(IReadOnlyList<NluExample> examples, NluOptions options, double holdOut = 0.2, int seed = 1, bool problemOnly = false)
    {
        var (train, test) = Split(examples, holdOut, seed);
        var model = Train(train, options, seed, problemOnly);
        return NluEvaluation.Score(model, test);
    }

    /// <summary>A stratified split: each label's rows shuffled with <paramref name="seed"/>, the first share held back.</summary>
    public static (List<NluExample> Train, List<NluExample> Test) Split(IReadOnlyList<NluExample> examples, double holdOut, int seed)
    {
        var random = new Random(seed);
        var train = new List<NluExample>();
        var test = new List<NluExample>();
        foreach (var group in examples.GroupBy(e => e.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            var take = rows.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(rows.Length * holdOut));
            test.AddRange(rows.Take(take));
            train.AddRange(rows.Skip(take));
        }
        return (train, test);
    }

    private static NgramExtractingEstimator.WeightingCriteria Weighting(NluOptions options) =>
        options.TfIdf ? NgramExtractingEstimator.WeightingCriteria.TfIdf : NgramExtractingEstimator.WeightingCriteria.Tf;

    private static IEstimator<ITransformer> Trainer(MLContext ml, NluOptions options) => options.Trainer switch
    {
        NluTrainerKind.LbfgsMaximumEntropy => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
            new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = "Weight",
                L2Regularization = options.L2 ?? 0.1f,
                L1Regularization = 0,
            }),
        _ => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            new Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = "Weight",
                L2Regularization = options.L2,
            }),
    };
}
