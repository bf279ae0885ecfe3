namespace CommunityBot.Dialogs.Directory;

/// <summary>What dialogs may ask of the grid directory: the compounds residents live in.</summary>
public interface IDirectory
{
    /// <summary>Every compound (小区) the street office covers.</summary>
    IReadOnlyList<CompoundInfo> Compounds();
}

/// <summary>
/// A compound, its community (by name, and by id when the directory has one) and the buildings it has (e.g. "3号楼");
/// <see cref="Aliases"/> are other names residents use.
/// </summary>
public sealed record CompoundInfo(string Id, string Name, string Community, IReadOnlyList<string> Buildings, IReadOnlyList<string> Aliases, string? CommunityId = null);
