using LiteDB;

namespace CommunityBot.Faq;

/// <summary>
/// The answer an entry gives in one compound (小区) or community (社区) of the directory, in place of its general answer:
/// "物业电话多少" in 幸福里's group is answered with 幸福里's number only.
/// </summary>
public sealed class FaqVariant
{
    public FaqScopeKind Kind { get; set; }

    /// <summary>The directory id of the compound or community (e.g. <c>xingfuli</c>, <c>FH-01</c>); empty until resolved.</summary>
    public string ScopeId { get; set; } = "";

    public string Answer { get; set; } = "";

    /// <summary>The <c>scope</c> cell as the file had it, before <see cref="FaqScopes.Resolve"/> named a directory unit.</summary>
    [BsonIgnore]
    public string? Written { get; set; }

    /// <summary>Where the variant was read (file line or sheet row), for a resolution error to name.</summary>
    [BsonIgnore]
    public string? Source { get; set; }

    [BsonIgnore]
    public bool IsResolved => ScopeId.Length > 0;

    public FaqVariant Copy() => (FaqVariant)MemberwiseClone();
}

/// <summary>What a <see cref="FaqVariant"/> is scoped to.</summary>
public enum FaqScopeKind
{
    Compound,
    Community,
}
