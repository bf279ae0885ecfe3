using CommunityBot.Dialogs.Directory;

namespace CommunityBot.Understanding.Extractors;

/// <summary>Stands in when no grid directory is registered: no compounds, so only buildings, units, rooms and landmarks are found.</summary>
public sealed class EmptyDirectory : IDirectory
{
    public static EmptyDirectory Instance { get; } = new();

    public IReadOnlyList<CompoundInfo> Compounds() => [];
}
