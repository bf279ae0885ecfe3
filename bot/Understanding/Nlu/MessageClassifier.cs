using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// Predicts a message's intent and grievance category with the ML.NET models once they are ready; until then
/// (the first start trains in the background) the intent comes from <see cref="IntentRules"/> and there is no
/// category. Thread-safe.
/// </summary>
public sealed class MessageClassifier(NluOptions options)
{
    private volatile Models? _models;

    /// <summary>Whether the models are loaded (otherwise <see cref="Classify"/> falls back to rules).</summary>
    public bool IsReady => _models is not null;

    /// <summary>Loading or training the models failed at start (rules answer instead); the readiness check reports it.</summary>
    public bool LoadFailed { get; private set; }

    public void MarkLoadFailed() => LoadFailed = true;

    public IReadOnlyList<string> CategoryLabels => _models?.Category.Labels ?? [];

    /// <summary>Swaps in trained or loaded models.</summary>
    public void Use(NluModel intent, NluModel category) => _models = new Models(intent, category);

    public NluClassification Classify(string text)
    {
        if (_models is not { } models)
        {
            return new NluClassification(IntentRules.Guess(text), 0, null, 0, [], FromModel: false);
        }
        var intents = models.Intent.Predict(text);
        var categories = models.Category.Predict(text);
        var best = categories[0];
        return new NluClassification(
            Enum.Parse<Intent>(intents[0].Label, ignoreCase: true),
            intents[0].Score,
            best.Label,
            best.Score,
            categories.Take(options.CategoryCandidates).Select(c => new CategoryCandidate(c.Label, c.Score)).ToList(),
            FromModel: true);
    }

    private sealed record Models(NluModel Intent, NluModel Category);
}

/// <summary>The models' reading of a message: intent and best category with probabilities, and the top categories.</summary>
public sealed record NluClassification(
    Intent Intent,
    double IntentScore,
    string? Category,
    double CategoryScore,
    IReadOnlyList<CategoryCandidate> CategoryCandidates,
    bool FromModel);
