using CommunityBot.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Conversation;

/// <summary>The proactive turn store contract (<see cref="ProactiveTurnStoreContractTests"/>) on LiteDB's <see cref="ProactiveTurnStore"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbProactiveTurnStoreTests : ProactiveTurnStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly ProactiveTurnStore _turns;

    public LiteDbProactiveTurnStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _turns = new ProactiveTurnStore(_database, _writer, Time, MsOptions.Create(Options));
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task InsertAsync(IReadOnlyList<ProactiveTurn> turns, Action? alsoWrite = null) => _writer.WriteAsync(_ =>
    {
        _turns.Insert(turns);
        alsoWrite?.Invoke();
    });

    protected override Task<IReadOnlyList<ProactiveTurn>> PendingAsync() => Task.FromResult(_turns.Pending());

    protected override Task<IReadOnlyList<ProactiveTurn>> AllAsync() => Task.FromResult(_turns.All());

    protected override Task DeleteAsync(ProactiveTurn turn) => _writer.WriteAsync(_ => _turns.DeleteInWrite(turn.Id));

    protected override Task FailedAttemptAsync(ProactiveTurn turn, string error) => _turns.MarkFailedAttemptAsync(turn, error);

    protected override Task<int> DeleteFailedBeforeAsync(DateTimeOffset cutoff) => _writer.WriteAsync(_ => _turns.DeleteFailedBefore(cutoff));
}
