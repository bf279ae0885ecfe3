using CommunityBot.Dialogs.Conversation;
using CommunityBot.Faq;
using CommunityBot.Handoff;
using CommunityBot.Notifications;
using CommunityBot.Tickets;

namespace CommunityBot.Conversation;

/// <summary>
/// Constructs every store before the server takes requests: their collections are then created on a quiet
/// database (see <see cref="Storage.LiteDbCollections.Open{T}"/>), never while turns read them.
/// </summary>
public sealed class StoreWarmup(
    FaqStore faq,
    MissStore misses,
    ProcessedMessageLog processed,
    LiteDbStorage states,
    IConversationMemory memory,
    HelpRequestStore helpRequests,
    Outbox outbox,
    TicketStore tickets,
    HandoffStore handoffs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Construction did the work; touching the services keeps the intent visible.
        GC.KeepAlive(new object[] { faq, misses, processed, states, memory, helpRequests, outbox, tickets, handoffs });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
