using CommunityBot.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// The processed-message log's contract (<see cref="ProcessedMessageLogContractTests"/>) on <see cref="ProcessedMessageLog"/>:
/// an in-memory LiteDB per test, each record in a <see cref="LiteDbWriter"/> write as the turn's commit does; before its
/// filter is built (here) and after (<see cref="FilteredProcessedMessageLogTests"/>).
/// </summary>
public class ProcessedMessageLogTests : ProcessedMessageLogContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly ProcessedMessageLog _log;

    public ProcessedMessageLogTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _log = new ProcessedMessageLog(_database, _writer);
    }

    protected ProcessedMessageLog Log => _log;

    protected LiteDbWriter Writer => _writer;

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

/// <summary>The same contract once the log's <see cref="ProcessedKeyFilter"/> is built, and the filter's own promises.</summary>
public sealed class FilteredProcessedMessageLogTests : ProcessedMessageLogTests
{
    public override Task InitializeAsync() => Log.RebuildFilterAsync();

    [Fact]
    public async Task Rebuild_FindsWhatWasLoggedBefore_AndWhatIsLoggedDuringIt()
    {
        var before = Enumerable.Range(0, 2000).Select(i => ProcessedMessageLog.KeyOf("wecom", "before-" + i)).ToList();
        await Writer.WriteAsync(_ => before.ForEach(k => Log.Add(k, Start)));

        // Writes keep committing while the filter is rebuilt three times.
        var during = new List<string>();
        var adding = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                var key = ProcessedMessageLog.KeyOf("wecom", "during-" + i);
                await Writer.WriteAsync(_ => Log.Add(key, Start));
                lock (during)
                {
                    during.Add(key);
                }
            }
        });
        for (var i = 0; i < 3; i++)
        {
            await Log.RebuildFilterAsync();
        }

        await adding;
        await Log.RebuildFilterAsync();

        Assert.All(before.Concat(during), key => Assert.True(Log.Contains(key), key));
        Assert.False(Log.Contains(ProcessedMessageLog.KeyOf("wecom", "never")));
    }

    [Fact]
    public void Filter_HasNoFalseNegatives_AndFewFalsePositivesAtItsCapacity()
    {
        var filter = new ProcessedKeyFilter(100_000);
        for (var i = 0; i < 100_000; i++)
        {
            filter.Add("wecom|msg-" + i);
        }

        Assert.All(Enumerable.Range(0, 100_000), i => Assert.True(filter.MightContain("wecom|msg-" + i)));
        var falsePositives = Enumerable.Range(0, 100_000).Count(i => filter.MightContain("msteams|other-" + i));
        // 10 bits per key and 7 indexes: about 0.8 % in theory.
        Assert.InRange(falsePositives, 0, 2_000);
        Assert.False(filter.Saturated);

        filter.Add("one more");
        Assert.True(filter.Saturated);
    }
}
