using CommunityBot.Dialogs.Engine;
using CommunityBot.Hosting;
using CommunityBot.Notifications;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>
/// Hourly (and at start): forgets message ids past the de-duplication window, residents' state items (their dialogs,
/// <see cref="LiteDbStorage"/>) not written since the dialog expiry and
/// 提交 message ids past <see cref="TicketOptions.SubmissionRetention"/>, and purges outbox messages and proactive turns
/// that failed longer ago than <see cref="OutboxOptions.FailedRetention"/>.
/// </summary>
public sealed partial class ConversationCleanupService(
    ProcessedMessageLog processed,
    LiteDbStorage states,
    TicketStore tickets,
    Outbox outbox,
    ProactiveTurnStore proactiveTurns,
    TimeProvider time,
    IOptions<TurnOptions> turnOptions,
    IOptions<DialogOptions> dialogOptions,
    IOptions<TicketOptions> ticketOptions,
    IOptions<OutboxOptions> outboxOptions,
    ILogger<ConversationCleanupService> logger) : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool RunAtStart => true;

    /// <summary>One round of the cleanup as of <paramref name="now"/> (what each hourly round runs).</summary>
    public void Sweep(DateTimeOffset now)
    {
        var ids = processed.DeleteOlderThan(now - turnOptions.Value.DedupeWindow);
        var idle = states.DeleteIdleSince(now - dialogOptions.Value.Expiry);
        var submissions = tickets.DeleteSubmissionsBefore((now - ticketOptions.Value.SubmissionRetention).UtcDateTime);
        var failed = outbox.DeleteFailedBefore(now - outboxOptions.Value.FailedRetention)
            + proactiveTurns.DeleteFailedBefore(now - outboxOptions.Value.FailedRetention);
        LogSwept(ids, idle, submissions, failed);
    }

    protected override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        Sweep(now);
        // The dedupe filter is built at start and rebuilt without the ids just forgotten.
        await processed.RebuildFilterAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Ids} old message ids, {States} expired dialog states and {Submissions} old submissions; purged {Failed} failed outbox messages and proactive turns")]
    private partial void LogSwept(int ids, int states, int submissions, int failed);
}
