using CommunityBot.Notifications;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Notifications;

/// <summary>
/// The outbox contract (<see cref="OutboxContractTests"/>) on LiteDB's <see cref="Outbox"/>, an in-memory LiteDB per test;
/// an entry's outcome is marked on the conversation's first pending entry, as its dispatcher would pick it.
/// </summary>
public sealed class OutboxTests : OutboxContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly Outbox _outbox;

    public OutboxTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _outbox = new Outbox(_database, _writer, Time, MsOptions.Create(Options));
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task InsertAsync(IReadOnlyList<OutboxMessage> messages, Action? alsoWrite = null) => _writer.WriteAsync(_ =>
    {
        _outbox.Insert(messages);
        alsoWrite?.Invoke();
    });

    protected override Task<IReadOnlyList<OutboxMessage>> PendingAsync() => Task.FromResult(_outbox.Pending());

    protected override Task<IReadOnlyList<OutboxMessage>> AllAsync() =>
        Task.FromResult<IReadOnlyList<OutboxMessage>>(_outbox.All().OrderBy(m => m.Id).ToList());

    protected override Task<IReadOnlyList<OutboxMessage>> FailedAsync(int limit) => Task.FromResult(_outbox.Failed(limit));

    protected override Task<(int Pending, int Failed)> CountsAsync() => Task.FromResult(_outbox.Counts());

    protected override Task<OutboxBacklog> BacklogAsync() => Task.FromResult(_outbox.Backlog());

    protected override Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff) => Task.FromResult(_outbox.DeleteFailedBefore(cutoff));

    protected override Task DeliveredAsync(string conversationKey) => _outbox.MarkDeliveredAsync([Head(conversationKey).Id]);

    protected override Task FailedAttemptAsync(string conversationKey, string error) => _outbox.MarkFailedAttemptAsync(Head(conversationKey), error);

    protected override Task UndeliverableAsync(string conversationKey, string error) => _outbox.MarkUndeliverableAsync(Head(conversationKey), error);

    private OutboxMessage Head(string conversationKey) => _outbox.Pending().First(m => m.ConversationKey == conversationKey);
}
