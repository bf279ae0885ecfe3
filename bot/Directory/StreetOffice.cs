namespace CommunityBot.Directory;

/// <summary>The street office (一级网格) the whole directory belongs to.</summary>
public sealed record StreetOffice
{
    public required string Name { get; init; }

    /// <summary>The office's public service number (not personal data).</summary>
    public string? Phone { get; init; }
}
