using CommunityBot.Dialogs.Engine;
using CommunityBot.Hosting;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>Hourly (and at start): forgets message ids past the de-duplication window and dialog states that have expired.</summary>
public sealed partial class ConversationCleanupService(
    ProcessedMessageLog processed,
    LiteDbDialogStateStore states,
    TimeProvider time,
    IOptions<TurnOptions> turnOptions,
    IOptions<DialogOptions> dialogOptions,
    ILogger<ConversationCleanupService> logger) : PeriodicService(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool RunAtStart => true;

    protected override Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = processed.DeleteOlderThan(now - turnOptions.Value.DedupeWindow);
        var idle = states.DeleteIdleSince(now - dialogOptions.Value.Expiry);
        LogSwept(ids, idle);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Ids} old message ids and {States} expired dialog states")]
    private partial void LogSwept(int ids, int states);
}
