using System.Collections.Concurrent;
using CommunityBot.Dialogs.Understanding;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// A trained text classifier with thread-safe prediction: PredictionEngine is not thread-safe (and
/// PredictionEnginePool is not available here), so engines are pooled and each call rents one.
/// </summary>
public sealed class NluModel
{
    private readonly MLContext _ml;
    private readonly ConcurrentBag<PredictionEngine<NluFeatureRow, NluPrediction>> _engines = [];

    /// <param name="problemOnly">
    /// The model reads the problem without the trigger words a report opens with (<see cref="ReportTriggers"/>): the
    /// category model, so that "我要投诉 …" is classified exactly as the problem alone. It is trained that way too.
    /// </param>
    public NluModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, bool problemOnly = false)
    {
        _ml = ml;
        ProblemOnly = problemOnly;
        Transformer = transformer;
        InputSchema = inputSchema;
        var engine = Create();
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        engine.OutputSchema["Score"].GetSlotNames(ref names);
        Labels = names.DenseValues().Select(n => n.ToString()).ToArray();
        _engines.Add(engine);
    }

    public ITransformer Transformer { get; }

    /// <summary>Whether the model reads only the problem (see the constructor).</summary>
    public bool ProblemOnly { get; }
    public DataViewSchema InputSchema { get; }

    /// <summary>The labels in score order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Every label with its probability, best first.</summary>
    public IReadOnlyList<LabelScore> Predict(string text)
    {
        var row = NluFeatureRow.From(ProblemOnly ? ReportTriggers.Strip(text) : text);
        if (!_engines.TryTake(out var engine))
        {
            engine = Create();
        }
        float[] scores;
        try
        {
            scores = engine.Predict(row).Score;
        }
        finally
        {
            _engines.Add(engine);
        }
        var result = new LabelScore[Math.Min(scores.Length, Labels.Count)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new LabelScore(Labels[i], scores[i]);
        }
        Array.Sort(result, static (a, b) => b.Score.CompareTo(a.Score));
        return result;
    }

    private PredictionEngine<NluFeatureRow, NluPrediction> Create() =>
        _ml.Model.CreatePredictionEngine<NluFeatureRow, NluPrediction>(Transformer, InputSchema);
}

/// <summary>A label with its probability in [0, 1].</summary>
public readonly record struct LabelScore(string Label, double Score);
