using CommunityBot.Directory;

namespace CommunityBot.Faq;

/// <summary>
/// Checks the scopes of knowledge-base variants against the grid directory: a scope names a compound (by id, name or
/// alias, e.g. <c>xingfuli</c>, 幸福里小区, 幸福里) or a community (by id or name, e.g. <c>FH-01</c>, 丰和里社区).
/// </summary>
public static class FaqScopes
{
    /// <summary>
    /// Resolves every variant read from a file; throws <see cref="FaqFormatException"/> naming the first row whose scope the
    /// directory does not know, or that names a place the entry already has an answer for. Nothing is changed then.
    /// </summary>
    public static void Resolve(IReadOnlyList<FaqEntry> entries, DirectorySnapshot directory)
    {
        var resolved = new List<(FaqVariant Variant, FaqScopeKind Kind, string Id)>();
        foreach (var entry in entries)
        {
            var places = new Dictionary<(FaqScopeKind, string), FaqVariant>();
            foreach (var variant in entry.Variants.Where(v => !v.IsResolved))
            {
                var written = variant.Written ?? "";
                if (Find(directory, written) is not { } place)
                {
                    throw new FaqFormatException(
                        $"{variant.Source ?? entry.Id}, column scope: \"{written}\" is neither a compound nor a community of the grid directory "
                        + $"(use a name or id from the directory, e.g. {Example(directory)}).");
                }
                if (places.TryGetValue(place, out var other))
                {
                    throw new FaqFormatException(
                        $"{variant.Source ?? entry.Id}, column scope: \"{written}\" is the same place as \"{other.Written}\" ({other.Source}) for \"{entry.Id}\".");
                }
                places[place] = variant;
                resolved.Add((variant, place.Item1, place.Item2));
            }
        }
        // Only once every row checked out: a bad file leaves the entries as they were read.
        foreach (var (variant, kind, id) in resolved)
        {
            variant.Kind = kind;
            variant.ScopeId = id;
        }
    }

    /// <summary>The compound or community <paramref name="text"/> names, compounds first.</summary>
    public static (FaqScopeKind Kind, string Id)? Find(DirectorySnapshot directory, string text)
    {
        var name = text.Trim();
        if (name.Length == 0)
        {
            return null;
        }
        if (directory.FindCompound(name) is { } compound)
        {
            return (FaqScopeKind.Compound, compound.Id);
        }
        var community = directory.Communities.TryGetValue(name, out var byId)
            ? byId
            : directory.Data.Communities.FirstOrDefault(c => c.Name == name);
        return community is null ? null : (FaqScopeKind.Community, community.Id);
    }

    /// <summary>The directory's name of a variant's scope (its id when the directory no longer has it).</summary>
    public static string NameOf(DirectorySnapshot directory, FaqVariant variant) => variant.Kind switch
    {
        FaqScopeKind.Compound => directory.Compounds.TryGetValue(variant.ScopeId, out var compound) ? compound.Name : variant.ScopeId,
        _ => directory.Communities.TryGetValue(variant.ScopeId, out var community) ? community.Name : variant.ScopeId,
    };

    private static string Example(DirectorySnapshot directory) =>
        string.Join("、", directory.Data.Compounds.Take(1).Select(c => c.Name).Concat(directory.Data.Communities.Take(1).Select(c => c.Name))) is { Length: > 0 } names
            ? names
            : "幸福里小区、丰和里社区";
}
