using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Tickets;

/// <summary>The ticket desk's view of the grid directory: who handles a ticket, who a chat user is, how to reach a worker.</summary>
public interface ITicketAssignment
{
    Assignment Assign(string? compoundId, string? building, string category, DateTimeOffset at);

    /// <summary>Who a ticket goes to when it leaves its grid (退回, or nobody answered): the community's staff, else the street's.</summary>
    Assignment Supervisor(string? gridId, DateTimeOffset at);

    /// <summary>The street office's staff member on duty, the ladder's step above the community.</summary>
    Assignment StreetOffice(DateTimeOffset at) => Supervisor(null, at);

    /// <summary>The worker whose full name appears in <paramref name="text"/> (the longest name wins), for 转派 and 联动.</summary>
    WorkerIdentity? FindWorkerNamed(string text);

    /// <summary>The worker behind a channel identity, or null for residents and strangers.</summary>
    WorkerIdentity? FindWorker(string channel, string userId);

    /// <summary>The directory worker with this id (the admin console's channel identifies workers by id).</summary>
    WorkerIdentity? FindWorkerById(string workerId) => FindWorker(DirectoryAssignment.AdminChannel, workerId);

    /// <summary>
    /// Where to reach the worker privately on the channel of <paramref name="origin"/> (the conversation the ticket
    /// came from, whose service URL and tenant a proactive conversation needs); null when the worker cannot be reached.
    /// </summary>
    ConversationReference? PrivateAddressOf(string workerId, ConversationReference origin);
}

/// <summary>Who handles a ticket and why.</summary>
public sealed record Assignment(string? GridId, string WorkerId, string WorkerName, TicketLevel Level, IReadOnlyList<string> CoHandlers, string Reason);

/// <summary>A worker as the ticket desk needs them: id, name and level (higher levels may act on any ticket below them).</summary>
public sealed record WorkerIdentity(string Id, string Name, TicketLevel Level);
