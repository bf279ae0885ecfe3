using System.Collections.Concurrent;
using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>
/// Runs one inbound message: de-duplicates it by id, runs the bot under the resident's lock with one error
/// handler for the turn, then records the message id, the resident's dialog state and the replies (in the outbox) in
/// one transaction before the channel is answered; the dispatcher delivers the replies in the background. A group seen
/// for the first time (or not for an hour) is recorded in the same write (<see cref="GroupRegistry"/>).
/// </summary>
public sealed partial class TurnPipeline(
    IBot bot,
    LiteDbDialogStateStore stateStore,
    ProcessedMessageLog processed,
    Outbox outbox,
    GroupRegistry groups,
    LiteDbWriter writer,
    TimeProvider time,
    IOptions<TurnOptions> options,
    ILogger<TurnPipeline> logger,
    Metrics.BotMetrics? metrics = null) : ITurnProcessor
{
    private const string Apology = "抱歉，刚才出了点问题，请稍后再试。";

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly KeyedLock _residentLocks = new();
    private readonly TurnOptions _options = options.Value;

    public async Task<TurnOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var key = ProcessedMessageLog.KeyOf(message.Channel, message.Id);
        // Claim the id first, then look in the log: a turn commits its id before it releases the claim, so a
        // redelivery either finds the claim or finds the committed id (checked the other way round, a redelivery
        // could read the log just before the first turn committed and claim the id just after it was released).
        if (!_inFlight.TryAdd(key, 0))
        {
            LogDuplicate(message.Channel, message.Id);
            metrics?.Turn(message.Channel, TurnOutcome.Duplicate);
            return TurnOutcome.Duplicate;
        }

        try
        {
            if (processed.Contains(key))
            {
                LogDuplicate(message.Channel, message.Id);
                metrics?.Turn(message.Channel, TurnOutcome.Duplicate);
                return TurnOutcome.Duplicate;
            }

            TurnContext turn;
            LiteDbDialogStateStore.TurnStateWrites state;
            var outcome = TurnOutcome.Processed;
            using (await _residentLocks.AcquireAsync(message.StateKey, cancellationToken))
            {
                turn = new TurnContext(message, time.GetUtcNow());
                state = stateStore.BeginTurn(message.StateKey);
                if (message.Text.Length > _options.MaxTextLength)
                {
                    turn.Reply($"消息太长了（超过{_options.MaxTextLength}字），请分几次简短地说。");
                }
                else
                {
                    outcome = await RunBotAsync(turn, cancellationToken);
                }

                // Still under the resident's lock: their next message must find this turn's dialog state.
                await CommitAsync(key, turn, state);
            }

            outcome = turn.Ignored && outcome == TurnOutcome.Processed ? TurnOutcome.Ignored : outcome;
            metrics?.Turn(message.Channel, outcome);
            return outcome;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<TurnOutcome> RunBotAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        try
        {
            LogTurn(turn.Inbound.Channel, turn.Inbound.Conversation.ConversationId, turn.Inbound.Text);
            await bot.OnTurnAsync(turn, cancellationToken);
            return TurnOutcome.Processed;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One handler per turn (Bot Builder's OnTurnError): log, clear this resident's dialog, apologise briefly.
            LogTurnFailed(ex, turn.Inbound.Channel, turn.Inbound.Id);
            await stateStore.DeleteAsync(turn.Inbound.StateKey, CancellationToken.None);
            turn.ClearReplies();
            turn.Reply(Apology);
            return TurnOutcome.Failed;
        }
    }

    private async Task CommitAsync(string key, TurnContext turn, LiteDbDialogStateStore.TurnStateWrites state)
    {
        var entries = turn.Replies.Select(r => outbox.Create(turn.Inbound.Conversation, r)).ToList();
        var recordGroup = groups.ShouldRecord(turn.Inbound, turn.Now);
        var recordResident = groups.ShouldRecordResident(turn.Inbound, turn.Now);
        // The message id, the dialog state and the replies are committed together: a crash leaves all or none.
        await writer.WriteAsync(_ =>
        {
            processed.Add(key, turn.Now);
            stateStore.CommitInWrite(state);
            if (recordGroup)
            {
                groups.Record(turn.Inbound.Conversation, turn.Now);
            }

            if (recordResident)
            {
                // Their private chat takes this group's compound as its default place.
                groups.RecordResident(turn.Inbound, turn.Now);
            }

            if (entries.Count > 0)
            {
                outbox.Insert(entries);
            }
        });

        if (entries.Count > 0)
        {
            outbox.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate delivery of {Channel} message {MessageId} ignored")]
    private partial void LogDuplicate(string channel, string messageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn in {Channel} conversation {ConversationId}: {Text}")]
    private partial void LogTurn(string channel, string conversationId, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Turn failed for {Channel} message {MessageId}")]
    private partial void LogTurnFailed(Exception exception, string channel, string messageId);
}
