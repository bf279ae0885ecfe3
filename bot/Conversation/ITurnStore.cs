using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Conversation;

/// <summary>
/// The storage side of one resident's turn, on either provider (<see cref="LiteDbTurnStore"/>,
/// <see cref="Storage.Postgres.PostgresTurnStore"/>): <see cref="BeginAsync"/> waits until no other turn of the resident runs
/// (on LiteDB within the process; on PostgreSQL on every instance sharing the database) and says whether the message was
/// processed before; the transaction then commits the message id, the turn's held state writes and its replies together,
/// or keeps none of them.
/// </summary>
public interface ITurnStore
{
    /// <param name="stateKey">The resident, <c>{channel}/{conversation}/{user}</c>.</param>
    /// <param name="messageKey">The message, <see cref="ProcessedMessageLog.KeyOf"/>.</param>
    Task<ITurnTransaction> BeginAsync(string stateKey, string messageKey, CancellationToken cancellationToken);
}

/// <summary>One resident's turn, from <see cref="ITurnStore.BeginAsync"/> to its commit; disposing it uncommitted keeps nothing.</summary>
public interface ITurnTransaction : IAsyncDisposable
{
    /// <summary>The message's turn was committed before (a channel's redelivery): answer nothing, write nothing.</summary>
    bool AlreadyProcessed { get; }

    /// <summary>
    /// Commits the message id, <see cref="TurnRecord.Writes"/> and <see cref="TurnRecord.Replies"/> (as outbox entries to
    /// the message's conversation) in one write. False, keeping nothing, when the message id was committed meanwhile.
    /// Throws <see cref="StorageConflictException"/>, keeping nothing, when a state item changed since the turn read it.
    /// </summary>
    Task<bool> CommitAsync(TurnRecord record, CancellationToken cancellationToken);
}

/// <summary>What a resident's turn commits.</summary>
/// <param name="Message">The message the turn answered (its conversation is where the replies go).</param>
/// <param name="Now">The turn's one time.</param>
/// <param name="Writes">The turn's held state writes.</param>
/// <param name="Replies">The replies, in order.</param>
/// <param name="AlsoCommit">More to write in the same commit, last (a proactive turn deletes its request).</param>
public sealed record TurnRecord(
    InboundMessage Message, DateTimeOffset Now, StorageTurn Writes, IReadOnlyList<OutboundMessage> Replies, ITurnAlsoCommit? AlsoCommit = null);
