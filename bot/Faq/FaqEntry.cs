namespace CommunityBot.Faq;

/// <summary>One knowledge-base entry: the main question, the colloquial ways residents ask it, and the answer.</summary>
public sealed class FaqEntry
{
    /// <summary>The office's own id for the entry (stable across imports and exports).</summary>
    public string Id { get; set; } = "";
    public string Question { get; set; } = "";
    /// <summary>Other phrasings of the same question.</summary>
    public List<string> Similar { get; set; } = [];
    public string Answer { get; set; } = "";
    public string Category { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public DateTimeOffset Updated { get; set; }

    /// <summary>Answers for particular compounds or communities; <see cref="Answer"/> is given everywhere else.</summary>
    public List<FaqVariant> Variants { get; set; } = [];

    /// <summary>A copy to change without touching what other readers hold.</summary>
    public FaqEntry Copy()
    {
        var copy = (FaqEntry)MemberwiseClone();
        copy.Similar = [.. Similar];
        copy.Variants = Variants.Select(v => v.Copy()).ToList();
        return copy;
    }

    /// <summary>The question followed by every similar phrasing.</summary>
    public IEnumerable<string> Phrasings => Similar.Prepend(Question).Where(p => !string.IsNullOrWhiteSpace(p));

    /// <summary>
    /// The answer for a resident in <paramref name="compoundId"/> of <paramref name="communityId"/> (either may be
    /// unknown): the compound's variant, else the community's, else the general answer.
    /// </summary>
    public string AnswerFor(string? compoundId, string? communityId) =>
        (compoundId is null ? null : Variants.Find(v => v.Kind == FaqScopeKind.Compound && v.ScopeId == compoundId))?.Answer
        ?? (communityId is null ? null : Variants.Find(v => v.Kind == FaqScopeKind.Community && v.ScopeId == communityId))?.Answer
        ?? Answer;
}
