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
/// settled (<see cref="TicketPhotoMessages"/>) the handler gets the resident's photos (a reporter's, or those of a resident who
/// joined by +1, said to be theirs), the residents the 办结 photos, through
/// our own signed links, or hear that they could not be kept. Without media re-hosting (a desk built without
/// <see cref="MediaIntake"/>) photos are kept and sent by their address, as before.
/// </summary>
public sealed partial class TicketDesk
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

    /// <summary>A report's or a 办结's photos: as sent (<paramref name="Raw"/>, no re-hosting), or as a batch of pending media.</summary>
    private sealed record PhotoIntake(List<string>? Raw, MediaBatch? Batch)
    {
        /// <summary>What the ticket keeps.</summary>
        public List<string> Refs => Batch?.Refs ?? Raw ?? [];

        /// <summary>The photos that may go with the message about them: only those kept as sent; re-hosted ones follow once fetched.</summary>
        public IReadOnlyList<string> SentWithMessage => Raw ?? [];
    }
}
