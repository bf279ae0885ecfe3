using CommunityBot.Broadcasts;
using CommunityBot.Notifications;
using CommunityBot.Storage;

namespace CommunityBot.Conversation;

/// <summary>
/// <see cref="ITurnStore"/> on LiteDB, one process: the resident's turns are kept apart by <see cref="ResidentLockMiddleware"/>
/// in the process, and the commit is one <see cref="LiteDbWriter"/> write of the message id, the state, the replies (as
/// outbox entries, the dispatcher woken once it is in), the group's and resident's registration
/// (<see cref="GroupRegistry"/>) and the turn's <see cref="TurnRecord.AlsoCommit"/>.
/// </summary>
public sealed class LiteDbTurnStore(
    ProcessedMessageLog processed, LiteDbStorage storage, Outbox outbox, GroupRegistry groups, LiteDbWriter writer) : ITurnStore
{
    public Task<ITurnTransaction> BeginAsync(string stateKey, string messageKey, CancellationToken cancellationToken) =>
        Task.FromResult<ITurnTransaction>(new Transaction(this, messageKey, processed.Contains(messageKey)));

    private async Task<bool> CommitAsync(string messageKey, TurnRecord record)
    {
        var inbound = record.Message;
        var entries = record.Replies.Count == 0 ? null : record.Replies.Select(r => outbox.Create(inbound.Conversation, r)).ToList();
        var recordGroup = groups.ShouldRecord(inbound, record.Now);
        var recordResident = groups.ShouldRecordResident(inbound, record.Now);
        // The message id, the dialog state and the replies are committed together: a crash leaves all or none.
        await writer.WriteAsync(_ =>
        {
            processed.Add(messageKey, record.Now);
            storage.CommitInWrite(record.Writes);

            if (recordGroup)
            {
                groups.Record(inbound.Conversation, record.Now);
            }

            if (recordResident)
            {
                // Their private chat takes this group's compound as its default place.
                groups.RecordResident(inbound, record.Now);
            }

            if (entries is not null)
            {
                outbox.Insert(entries);
            }

            record.AlsoCommit?.InLiteDbWrite();
        }).ConfigureAwait(false);

        if (entries is not null)
        {
            outbox.Wake();
        }

        return true;
    }

    private sealed class Transaction(LiteDbTurnStore store, string messageKey, bool processed) : ITurnTransaction
    {
        private bool _ended;

        public bool AlreadyProcessed { get; } = processed;

        public Task<bool> CommitAsync(TurnRecord record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(record);
            ObjectDisposedException.ThrowIf(_ended, this);
            _ended = true;
            return store.CommitAsync(messageKey, record);
        }

        // Nothing is written before the commit: there is nothing to undo.
        public ValueTask DisposeAsync()
        {
            _ended = true;
            return ValueTask.CompletedTask;
        }
    }
}
