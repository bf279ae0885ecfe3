using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Conversation;

/// <summary>
/// Runs the pending proactive turns (<see cref="IProactiveTurnQueue"/>, on either provider) through the turn pipeline as
/// event activities for the resident's conversation: their lock, their dialog state and their sends in the turn's one
/// commit, which also deletes the request; de-duplicated on the request's id as a message is on its id. Each resident's
/// requests run in order, one at a time; different residents' run side by side. A failed turn keeps nothing, is backed off
/// and retried, and holds up only that resident's later requests.
/// </summary>
public sealed partial class ProactiveTurnRunner(
    IProactiveTurnQueue turns, TurnPipeline pipeline, TimeProvider time, ILogger<ProactiveTurnRunner> logger)
{
    /// <summary>
    /// Runs every request that is due now, each resident's in order; returns how long until the next back-off ends
    /// (null when nothing waits).
    /// </summary>
    public async Task<TimeSpan?> RunDueAsync(CancellationToken cancellationToken)
    {
        // A request that failed (or whose failure could not even be recorded) is not tried again in this round.
        var tried = new HashSet<LiteDB.ObjectId>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = await turns.TakeDueAsync(tried, cancellationToken).ConfigureAwait(false);
            if (due.Count == 0)
            {
                return await turns.UntilNextDueAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var job in due)
            {
                tried.Add(job.Turn.Id);
            }

            // Side by side: on LiteDB the turns' commits share the writer's group commit.
            await Task.WhenAll(due.Select(j => RunAsync(j, cancellationToken))).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(IProactiveTurnJob job, CancellationToken cancellationToken)
    {
        var request = job.Turn;
        try
        {
            var to = ProactiveTurnStore.ReadReference(request.To);
            var message = new InboundMessage
            {
                Id = request.MessageId,
                Conversation = to,
                Kind = InboundKind.Event,
                EventName = request.Name,
                EventValue = request.Value,
                AddressedToBot = true,
                Timestamp = time.GetUtcNow(),
            };
            var outcome = await pipeline.RunProactiveAsync(message, job, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case TurnOutcome.Duplicate:
                    // Its turn was committed before (the request came back after it ran): it is done. Otherwise it is
                    // running right now in another call: its commit deletes the request, its failure backs it off.
                    if (await job.DeleteIfRanAsync(ProcessedMessageLog.KeyOf(to.Channel, request.MessageId), CancellationToken.None).ConfigureAwait(false))
                    {
                        LogDuplicate(request.Name, request.Id.ToString());
                    }

                    break;
                case TurnOutcome.Ignored:
                    LogIgnored(request.Name, request.Id.ToString());
                    break;
                default:
                    LogRan(request.Name, request.Id.ToString());
                    break;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, request.Name, request.Id.ToString(), request.Attempts + 1);
            try
            {
                if (!await job.MarkFailedAttemptAsync(ex.GetType().Name, CancellationToken.None).ConfigureAwait(false))
                {
                    LogTakenOver(request.Id.ToString());
                }
            }
            catch (Exception markFailed)
            {
                // Still pending and due: the next round tries it again.
                LogNotRecorded(markFailed, request.Id.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Proactive turn {Name} ({RequestId}) ran")]
    private partial void LogRan(string name, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proactive turn {Name} ({RequestId}) had already run; its request is removed")]
    private partial void LogDuplicate(string name, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Proactive turn {Name} ({RequestId}) names nothing the bot knows; dropped")]
    private partial void LogIgnored(string name, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Proactive turn {Name} ({RequestId}) failed (attempt {Attempt}); retried later")]
    private partial void LogFailed(Exception exception, string name, string requestId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Proactive turn {RequestId} is another instance's now (its lease ran out); that one runs it")]
    private partial void LogTakenOver(string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The failed attempt of proactive turn {RequestId} could not be recorded")]
    private partial void LogNotRecorded(Exception exception, string requestId);
}
