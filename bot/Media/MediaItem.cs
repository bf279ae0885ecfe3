using LiteDB;

namespace CommunityBot.Media;

/// <summary>
/// A photo taken into a ticket: where it came from, and once fetched, the stored file (named by its content hash).
/// A ticket refers to it as <c>media:{Id}</c> (see <see cref="MediaRef"/>), never by the channel's own address.
/// </summary>
public sealed class MediaItem
{
    /// <summary>32 lower-case hex digits of randomness: the id in the ticket and in the link, unguessable.</summary>
    [BsonId]
    public string Id { get; set; } = "";
    /// <summary>The photos recorded together (one report, one 办结): the ticket hears of them once all are settled.</summary>
    public string Batch { get; set; } = "";
    /// <summary>The channel's address of the photo; only ever fetched by this server, never passed on (personal data: Debug logs only).</summary>
    public string Source { get; set; } = "";
    /// <summary>The channel the photo came from, whose credentials fetch it.</summary>
    public string Channel { get; set; } = "";
    /// <summary>The Bot Framework service URL of the conversation it came in (Teams), when there is one.</summary>
    public string? ServiceUrl { get; set; }
    public string TicketNumber { get; set; } = "";
    public MediaPurpose Purpose { get; set; }
    public MediaStatus Status { get; set; }
    public string? ContentType { get; set; }
    public string? Sha256 { get; set; }
    public long Size { get; set; }
    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; set; }
    /// <summary>When a pending photo is next fetched (UTC).</summary>
    public DateTime NextAttemptAt { get; set; }
    /// <summary>Why the last attempt failed, or why it could not be kept (English, for the log and the console; never the address).</summary>
    public string? Failure { get; set; }
    /// <summary>Who to tell when it could not be kept: the worker's private chat (a <c>ConversationReference</c> as JSON).</summary>
    public string? NotifyOnFailure { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When it was stored or given up (UTC).</summary>
    public DateTime? SettledAt { get; set; }
}

/// <summary>What the photo is to its ticket.</summary>
public enum MediaPurpose
{
    /// <summary>A resident's photo of the problem.</summary>
    Report,
    /// <summary>The worker's photo of the 办结.</summary>
    Closing,
}

public enum MediaStatus
{
    Pending,
    Stored,
    /// <summary>Refused or unreachable: kept as not available, never passed on raw.</summary>
    Failed,
}
