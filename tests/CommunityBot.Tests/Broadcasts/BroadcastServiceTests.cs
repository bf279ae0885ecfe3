using CommunityBot.Broadcasts;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Broadcasts;

/// <summary>
/// The broadcast store contract (<see cref="BroadcastStoreContractTests"/>) on LiteDB's <see cref="BroadcastService"/> and
/// <see cref="Outbox"/>, an in-memory LiteDB per test.
/// </summary>
public sealed class BroadcastServiceTests : BroadcastStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly Outbox _outbox;
    private readonly BroadcastService _broadcasts;

    public BroadcastServiceTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _outbox = new Outbox(_database, _writer, Time, MsOptions.Create(new OutboxOptions()));
        _broadcasts = new BroadcastService(_database, _writer, _outbox, Time, NullLogger<BroadcastService>.Instance);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<(Broadcast Broadcast, bool IsNew)> SendAsync(string author, string text, IReadOnlyList<ChatGroup> groups, string requestId) =>
        _broadcasts.SendAsync(author, text, groups, requestId);

    protected override Task<IReadOnlyList<Broadcast>> RecentAsync(int limit) => Task.FromResult(_broadcasts.Recent(limit));

    protected override Task<IReadOnlyDictionary<string, BroadcastProgress>> ProgressAsync(IReadOnlyList<Broadcast> broadcasts, IReadOnlySet<string>? onlyGroups) =>
        Task.FromResult(_broadcasts.Progress(broadcasts, onlyGroups));

    protected override Task<IReadOnlyList<OutboxMessage>> OutboxAsync() =>
        Task.FromResult<IReadOnlyList<OutboxMessage>>(_outbox.All().OrderBy(m => m.Id).ToList());

    protected override Task DeliveredAsync(string groupKey) => _outbox.MarkDeliveredAsync([Head(groupKey).Id]);

    protected override Task UndeliverableAsync(string groupKey) => _outbox.MarkUndeliverableAsync(Head(groupKey), "rejected");

    private OutboxMessage Head(string groupKey) => _outbox.Pending().First(m => m.ConversationKey == groupKey);
}
