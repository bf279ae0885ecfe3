using CommunityBot.Dialogs.Engine;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>Hourly: forgets message ids past the de-duplication window and dialog states that have expired.</summary>
public sealed partial class ConversationCleanupService(
    ProcessedMessageLog processed,
    LiteDbDialogStateStore states,
    TimeProvider time,
    IOptions<TurnOptions> turnOptions,
    IOptions<DialogOptions> dialogOptions,
    ILogger<ConversationCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                var ids = processed.DeleteOlderThan(now - turnOptions.Value.DedupeWindow);
                var idle = states.DeleteIdleSince(now - dialogOptions.Value.Expiry);
                LogSwept(ids, idle);
            }
            catch (Exception ex)
            {
                LogSweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Ids} old message ids and {States} expired dialog states")]
    private partial void LogSwept(int ids, int states);

    [LoggerMessage(Level = LogLevel.Error, Message = "Conversation cleanup failed; retrying next hour")]
    private partial void LogSweepFailed(Exception exception);
}
