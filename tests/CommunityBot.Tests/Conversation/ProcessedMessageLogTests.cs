using CommunityBot.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// The processed-message log's contract (<see cref="ProcessedMessageLogContractTests"/>) on <see cref="ProcessedMessageLog"/>:
/// an in-memory LiteDB per test, each record in a <see cref="LiteDbWriter"/> write as the turn's commit does.
/// </summary>
public sealed class ProcessedMessageLogTests : ProcessedMessageLogContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly ProcessedMessageLog _log;

    public ProcessedMessageLogTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _log = new ProcessedMessageLog(_database);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    // LiteDB refuses the second record by failing the write on the _id index (no caller reaches it: one process claims an
    // id in DedupeMiddleware before it commits), which rolls back the whole turn's write.
    protected override async Task<bool> AddAsync(string key, DateTimeOffset at)
    {
        try
        {
            await _writer.WriteAsync(_ => _log.Add(key, at));
            return true;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    protected override async Task AddInFailedCommitAsync(string key, DateTimeOffset at) =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => _writer.WriteAsync(_ =>
        {
            _log.Add(key, at);
            throw new InvalidOperationException("the rest of the turn's commit failed");
        }));

    protected override Task<bool> ContainsAsync(string key) => Task.FromResult(_log.Contains(key));

    protected override Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff) => Task.FromResult(_log.DeleteOlderThan(cutoff));
}
