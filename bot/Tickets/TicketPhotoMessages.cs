using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Storage;

namespace CommunityBot.Tickets;

/// <summary>
/// When a ticket's batch of photos is settled (each kept or given up), tells who they are for: the handler a report's
/// (or a joining resident's) photos, the residents a 办结's, through our own signed links, or that they could not be kept.
/// Runs inside the media store's LiteDB write that settles the batch's last photo, so the message and the settled
/// photos commit together. LiteDB only: photos are not kept on PostgreSQL yet.
/// </summary>
public sealed class TicketPhotoMessages(
    TicketStore tickets, ITicketAssignment assignment, Outbox outbox, LiteDbWriter writer, MediaIntake media, TimeProvider time) : IMediaBatchListener
{
    public void BatchSettled(IReadOnlyList<MediaItem> batch)
    {
        if (batch.Count == 0 || tickets.Find(batch[0].TicketNumber) is not { } ticket)
        {
            return;
        }

        var kept = batch.Where(m => m.Status == MediaStatus.Stored)
            .Select(m => OutboundAttachment.Photo(media.LinkFor(m), m.ContentType))
            .OfType<OutboundAttachment>()
            .ToList();
        var lost = batch.Count(m => m.Status == MediaStatus.Failed);
        var messages = new List<OutboxMessage>();
        if (batch[0].Purpose == MediaPurpose.Report)
        {
            // The handler now, who may not be the one the card first went to.
            if (assignment.PrivateAddressOf(ticket.AssigneeId, TicketDesk.Origin(ticket)) is { } handler)
            {
                messages.Add(Tell(handler, JoinerOf(ticket, batch[0]) is { } joiner
                    ? new TicketFact.SupporterPhotos(ticket.Number, joiner.UserName, kept, lost)
                    : new TicketFact.ReportPhotos(ticket.Number, kept, lost)));
            }
        }
        else
        {
            // One message per chat: residents who reported in the same group see the photo there once, not once each.
            messages.AddRange(TicketDesk.Residents(ticket).DistinctBy(TicketDesk.ChatOf).Select(r => Tell(r, new TicketFact.ClosingPhotos(ticket.Number, kept))));
            if (lost > 0 && batch[0].NotifyOnFailure is { } worker)
            {
                messages.Add(Tell(TicketDesk.ReadReference(worker), new TicketFact.ClosingPhotosLost(ticket.Number, lost)));
            }
        }

        outbox.Insert(messages);
        writer.AfterCommit(outbox.Wake);
    }

    private OutboxMessage Tell(ConversationReference audience, TicketFact fact) => TicketDesk.Tell(audience, fact, time);

    /// <summary>The resident who sent <paramref name="photo"/> when they joined the ticket (+1); null for the first reporter's.</summary>
    private static TicketReporter? JoinerOf(Ticket ticket, MediaItem photo)
    {
        var mediaRef = MediaRef.Of(photo.Id);
        return ticket.Events.FirstOrDefault(e => e.Kind == TicketEventKind.Supported && e.Photos.Contains(mediaRef)) is { } joined
            ? ticket.Supporters.FirstOrDefault(s => joined.Actor == "resident:" + s.Key)
            : null;
    }
}
