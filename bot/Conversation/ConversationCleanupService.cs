using CommunityBot.Dialogs.Engine;
using CommunityBot.Hosting;
using CommunityBot.Tickets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>
/// Hourly (and at start): forgets message ids past the de-duplication window, dialog states that have expired and
/// 提交 message ids past <see cref="TicketOptions.SubmissionRetention"/>.
/// </summary>
public sealed partial class ConversationCleanupService(
    ProcessedMessageLog processed,
    LiteDbDialogStateStore states,
    TicketStore tickets,
    TimeProvider time,
    IOptions<TurnOptions> turnOptions,
    IOptions<DialogOptions> dialogOptions,
    IOptions<TicketOptions> ticketOptions,
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
        LogSwept(ids, idle, submissions);
    }

    protected override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        Sweep(now);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Ids} old message ids, {States} expired dialog states and {Submissions} old submissions")]
    private partial void LogSwept(int ids, int states, int submissions);
}
