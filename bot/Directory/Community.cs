namespace CommunityBot.Directory;

/// <summary>A community (社区, 二级网格). Its staff are the workers with role <see cref="WorkerRole.Community"/> and this community.</summary>
public sealed record Community
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The community office's public service number (not personal data).</summary>
    public string? Phone { get; init; }
}
