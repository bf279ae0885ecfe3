using LiteDB;

namespace CommunityBot.Open311;

/// <summary>
/// What an Open311 POST carried beyond the ticket itself: the point, the photo link, the e-mail and the client. Kept
/// beside the ticket (same number) so the ticket model stays channel-neutral.
/// </summary>
public sealed class Open311Submission
{
    /// <summary>The ticket number, which is also the service_request_id.</summary>
    [BsonId]
    public string TicketNumber { get; set; } = "";
    public double? Lat { get; set; }
    public double? Long { get; set; }
    public string? MediaUrl { get; set; }
    /// <summary>Personal data: the reporter's e-mail, for the handling worker only; never returned by GET.</summary>
    public string? Email { get; set; }
    public DateTime SubmittedAt { get; set; }
}
