namespace CommunityBot.Directory;

/// <summary>
/// A grid worker or staff member, with the identities they use on each channel. <see cref="Phone"/> is personal
/// data: never shown in a group and logged only at Debug.
/// </summary>
public sealed record Worker
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public WorkerRole Role { get; init; }

    /// <summary>The community id for grid workers and community staff; null for street staff.</summary>
    public string? Community { get; init; }

    public string? Phone { get; init; }

    /// <summary>Bot Framework channel account id in Teams ("29:…").</summary>
    public string? TeamsUserId { get; init; }

    /// <summary>Microsoft Entra (AAD) object id, stable across Teams bots.</summary>
    public string? AadObjectId { get; init; }

    public string? TenantId { get; init; }

    /// <summary>The WeCom (企业微信) userid.</summary>
    public string? WeComUserId { get; init; }

    /// <summary>The user id on the local web chat page, e.g. "worker-wangfang".</summary>
    public string? WebChatUserId { get; init; }

    /// <summary>False for someone who no longer takes tickets (left, long absence): routing passes them over as if on leave.</summary>
    public bool Active { get; init; } = true;

    /// <summary>The worker's own stand-in, used when a grid names no deputy.</summary>
    public string? DeputyWorkerId { get; init; }
}
