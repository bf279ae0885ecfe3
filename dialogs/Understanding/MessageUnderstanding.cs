namespace CommunityBot.Dialogs.Understanding;

/// <summary>
/// What the assistant made of one message. <see cref="Faq"/> is set exactly when the assistant is sure
/// enough to answer with that entry; <see cref="Suggestions"/> holds up to three candidates to offer when
/// it is not.
/// </summary>
public sealed record MessageUnderstanding
{
    public required string Text { get; init; }
    public Intent Intent { get; init; } = Intent.Other;
    public FaqCandidate? Faq { get; init; }
    public IReadOnlyList<FaqCandidate> Suggestions { get; init; } = [];
    /// <summary>The most likely grievance category (null while the model is not ready, and for chit-chat).</summary>
    public string? Category { get; init; }

    /// <summary>The probability of <see cref="Category"/> in [0, 1].</summary>
    public double CategoryScore { get; init; }

    /// <summary>Below the configured threshold: the intake dialog should let the resident pick from <see cref="CategoryCandidates"/>.</summary>
    public bool CategoryUnsure { get; init; }

    /// <summary>The best few categories with their probabilities, best first.</summary>
    public IReadOnlyList<CategoryCandidate> CategoryCandidates { get; init; } = [];
}

/// <summary>A grievance category the model proposes, with its probability in [0, 1].</summary>
public sealed record CategoryCandidate(string Category, double Score);

/// <summary>An FAQ entry the matcher proposes, with its confidence in [0, 1].</summary>
public sealed record FaqCandidate(string Id, double Score);

/// <summary>What a resident wants; the names are the <c>classify</c> output values in lower case.</summary>
public enum Intent
{
    Faq,
    Grievance,
    Status,
    Chitchat,
    Other,
}
