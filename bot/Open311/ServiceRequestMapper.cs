using System.Globalization;
using CommunityBot.Dialogs.Privacy;
using CommunityBot.Tickets;

namespace CommunityBot.Open311;

/// <summary>Pure conversion of a ticket into the GeoReport v2 service request the outside world may see.</summary>
public static class ServiceRequestMapper
{
    public const string Open = "open";
    public const string Closed = "closed";

    /// <summary>
    /// Free text (the resident's description and place, the worker's note) is published under the one rule of
    /// <see cref="PersonalData.Hide"/>, as a group would see it; the worker's card keeps the full text.
    /// </summary>
    public static ServiceRequest FromTicket(Ticket ticket, Open311Submission? submission, string? agency, TimeSpan utcOffset)
    {
        var service = Open311Services.ForCategory(ticket.Category);
        var updated = ticket.Events.Count == 0 ? ticket.CreatedAt : ticket.Events.Max(e => e.At);
        return new ServiceRequest
        {
            ServiceRequestId = ticket.Number,
            Status = StatusOf(ticket),
            StatusNotes = LastWorkerNote(ticket) is { } note ? PersonalData.Hide(note, ticket.Room) : null,
            ServiceName = ticket.Category,
            ServiceCode = service.Code,
            Description = PersonalData.Hide(ticket.Description, ticket.Room),
            AgencyResponsible = agency,
            RequestedDatetime = Local(ticket.CreatedAt, utcOffset),
            UpdatedDatetime = Local(updated, utcOffset),
            ExpectedDatetime = ticket.IsOpen ? Local(ticket.CloseBy, utcOffset) : null,
            Address = HasPublicLocation(ticket) ? PersonalData.Hide(ticket.PublicLocation, ticket.Room) : null,
            Lat = submission?.Lat,
            Long = submission?.Long,
            // GeoReport v2 has one media_url per request, "a URL to media associated with the request", which the client
            // supplies on POST (wiki.open311.org/GeoReport_v2, POST Service Request; the spec left media upload to the client,
            // wiki.open311.org/GeoReport_v2/Extensions "Media Handling"). It stays the submitter's: a worker's closing photo
            // would silently replace it, and the outcome is published as status_notes.
            MediaUrl = submission?.MediaUrl,
        };
    }

    /// <summary>The spec's two statuses: 待签收/处理中/重办/已退回 are "open", 已办结/已关闭 "closed".</summary>
    public static string StatusOf(Ticket ticket) => ticket.IsOpen ? Open : Closed;

    /// <summary>
    /// The latest note a worker addressed to the resident (a reply or the closing note); internal notes (transfer,
    /// co-handling, return) and the residents' own words are not published.
    /// </summary>
    public static string? LastWorkerNote(Ticket ticket)
    {
        // A reopened ticket (重办) has no current note until the worker writes again: the old closing note is no longer true.
        for (var i = ticket.Events.Count - 1; i >= 0; i--)
        {
            var e = ticket.Events[i];
            if (e.Kind == TicketEventKind.Reopened)
            {
                return null;
            }

            if (e.Kind is TicketEventKind.Replied or TicketEventKind.Closed && !string.IsNullOrWhiteSpace(e.Note))
            {
                return e.Note;
            }
        }

        return null;
    }

    /// <summary>ISO 8601 with the office's offset, e.g. 2026-11-23T20:00:00+08:00 (the spec's datetime format).</summary>
    public static string FormatDatetime(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // LiteDB hands dates back in local time unless told otherwise; tickets keep UTC.
    private static DateTimeOffset Local(DateTime utc, TimeSpan offset) =>
        new DateTimeOffset(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(offset);

    private static bool HasPublicLocation(Ticket ticket) =>
        ticket.CompoundName is not null || ticket.Building is not null || ticket.Unit is not null || ticket.Landmark is not null;
}
