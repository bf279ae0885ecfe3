using System.Text.Json;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Media;
using CommunityBot.Notifications;

namespace CommunityBot.Tickets;

/// <summary>
/// Photos on tickets. A report's and a 办结's photos are recorded as pending media in the ticket's own write and the
/// ticket keeps <c>media:{id}</c> for each, never the channel's address; the fetch runs afterwards, and when a batch is
/// settled (<see cref="BatchSettled"/>) the handler gets the resident's photos (a reporter's, or those of a resident who
/// joined by +1, said to be theirs), the residents the 办结 photos, through
/// our own signed links, or hear that they could not be kept. Without media re-hosting (a desk built without
/// <see cref="MediaIntake"/>) photos are kept and sent by their address, as before.
/// </summary>
public sealed partial class TicketDesk : IMediaBatchListener
{
    /// <summary>The photos as the ticket keeps them, and what to write and wake for them.</summary>
    private PhotoIntake TakePhotos(
        IEnumerable<string> urls, ConversationReference from, MediaPurpose purpose, DateTimeOffset at, ConversationReference? notifyOnFailure = null)
    {
        var distinct = urls.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.Ordinal).ToList();
        if (_media is null || distinct.Count == 0)
        {
            return new PhotoIntake(distinct, null);
        }

        var notify = notifyOnFailure is null ? null : JsonSerializer.Serialize(notifyOnFailure with { ReplyToId = null }, DialogJson.Options);
        return new PhotoIntake(null, _media.Take(distinct, from.Channel, from.ServiceUrl, purpose, at, notify));
    }

    /// <summary>
    /// Who hears that 办结 photos could not be kept: the worker's own chat when they closed in one, their private chat on the
    /// ticket's channel when they closed in the console (null when there is none: the console page shows it).
    /// </summary>
    private ConversationReference? ClosingWorkerChat(WorkerActionRequest request, WorkerIdentity worker, Ticket ticket) =>
        request.Actor.Channel == DirectoryAssignment.AdminChannel ? _assignment.PrivateAddressOf(worker.Id, Origin(ticket)) : request.Actor;

    /// <summary>Runs in the write that settles the batch's last photo: the messages that show the photos, or say they were lost.</summary>
    public void BatchSettled(IReadOnlyList<MediaItem> batch)
    {
        if (_media is null || batch.Count == 0 || _store.Find(batch[0].TicketNumber) is not { } ticket)
        {
            return;
        }

        var kept = batch.Where(m => m.Status == MediaStatus.Stored)
            .Select(m => OutboundAttachment.Photo(_media.LinkFor(m), m.ContentType))
            .OfType<OutboundAttachment>()
            .ToList();
        var lost = batch.Count(m => m.Status == MediaStatus.Failed);
        var messages = new List<OutboxMessage>();
        if (batch[0].Purpose == MediaPurpose.Report)
        {
            // The handler now, who may not be the one the card first went to.
            if (_assignment.PrivateAddressOf(ticket.AssigneeId, Origin(ticket)) is { } handler)
            {
                messages.Add(Tell(handler, JoinerOf(ticket, batch[0]) is { } joiner
                    ? new TicketFact.SupporterPhotos(ticket.Number, joiner.UserName, kept, lost)
                    : new TicketFact.ReportPhotos(ticket.Number, kept, lost)));
            }
        }
        else
        {
            // One message per chat: residents who reported in the same group see the photo there once, not once each.
            messages.AddRange(Residents(ticket).DistinctBy(ChatOf).Select(r => Tell(r, new TicketFact.ClosingPhotos(ticket.Number, kept))));
            if (lost > 0 && batch[0].NotifyOnFailure is { } worker)
            {
                messages.Add(Tell(ReadReference(worker), new TicketFact.ClosingPhotosLost(ticket.Number, lost)));
            }
        }

        _outbox.Insert(messages);
        _writer.AfterCommit(_outbox.Wake);
    }

    /// <summary>The resident who sent <paramref name="photo"/> when they joined the ticket (+1); null for the first reporter's.</summary>
    private static TicketReporter? JoinerOf(Ticket ticket, MediaItem photo)
    {
        var media = MediaRef.Of(photo.Id);
        return ticket.Events.FirstOrDefault(e => e.Kind == TicketEventKind.Supported && e.Photos.Contains(media)) is { } joined
            ? ticket.Supporters.FirstOrDefault(s => joined.Actor == "resident:" + s.Key)
            : null;
    }

    /// <summary>The chat a message to <paramref name="resident"/> lands in: a group is one chat whoever in it is addressed.</summary>
    private static (string Channel, string Conversation, string? User) ChatOf(ConversationReference resident) =>
        (resident.Channel, resident.ConversationId, resident.IsGroup ? null : resident.UserId);

    /// <summary>A report's or a 办结's photos: as sent (<paramref name="Raw"/>, no re-hosting), or as a batch of pending media.</summary>
    private sealed record PhotoIntake(List<string>? Raw, MediaBatch? Batch)
    {
        /// <summary>What the ticket keeps.</summary>
        public List<string> Refs => Batch?.Refs ?? Raw ?? [];

        /// <summary>The photos that may go with the message about them: only those kept as sent; re-hosted ones follow once fetched.</summary>
        public IReadOnlyList<string> SentWithMessage => Raw ?? [];

        /// <summary>Writes the pending media for the ticket; inside the ticket's write.</summary>
        public void Write(Ticket ticket) => Batch?.Write(ticket.Number);

        public void Wake() => Batch?.Wake();
    }
}
