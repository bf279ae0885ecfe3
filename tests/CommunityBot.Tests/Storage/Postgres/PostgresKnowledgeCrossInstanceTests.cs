using CommunityBot.Directory;
using CommunityBot.Faq;
using CommunityBot.Notices;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Directory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Two instances on one PostgreSQL database, each with its own data source and in-memory knowledge: A edits, B answers from
/// its copies and listens (<see cref="PostgresKnowledgeListener"/>). Every wait is for an event (B's notification, B's
/// listener losing or regaining its connection), never for time; the listener's pause before reconnecting runs on a fake
/// clock the tests move. The 30 s bounds only stop a broken build from hanging the run.
/// </summary>
public sealed class PostgresKnowledgeCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTime Start = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _applicationName = "knowledge-b-" + Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new();
    private readonly KnowledgeChanges _changesA = new();
    private readonly KnowledgeChanges _changesB = new();
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlDataSource _a = null!;
    private NpgsqlDataSource _b = null!;
    private PostgresKnowledgeListener _listenerB = null!;
    private Task _listening = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _a = database.NewDataSource();
        _b = database.NewDataSource(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = _applicationName }.ConnectionString);
        _listenerB = new PostgresKnowledgeListener(_b, _changesB, _time, NullLogger<PostgresKnowledgeListener>.Instance);
        await using var command = _a.CreateCommand("TRUNCATE faq_entries, notices, directory_rows");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        _stop.Dispose();
    }

    [PostgresFact]
    public async Task Faq_EditCommittedThroughA_IsSeenByBsCachedReadOnceItsNotificationArrives()
    {
        var faqA = new PostgresFaqStore(_a, _changesA);
        var faqB = new PostgresFaqStore(_b, _changesB);
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "旧答案"), t, CancellationToken.None));
        await StartListeningAsync();
        Assert.Equal("旧答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);

        var notified = NextAsync(_changesB, "faq:a");
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "新答案"), t, CancellationToken.None));
        await notified.WaitAsync(Bound);

        Assert.Equal("新答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);
    }

    [PostgresFact]
    public async Task Faq_RolledBackEdit_NotifiesNothingAndChangesNothing()
    {
        var faqA = new PostgresFaqStore(_a, _changesA);
        var faqB = new PostgresFaqStore(_b, _changesB);
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "旧答案"), t, CancellationToken.None));
        await StartListeningAsync();
        Assert.Equal("旧答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);
        var seen = new List<string?>();
        _changesB.Changed += change =>
        {
            lock (seen)
            {
                seen.Add(change.Payload);
            }
        };

        await using (var connection = await _a.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await faqA.UpsertAsync(Entry("a", "回滚的答案"), transaction, CancellationToken.None);
            await faqA.ReplaceAllAsync([Entry("x", "回滚的条目")], transaction, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        // Notifications reach a listener in commit order, so once the marker's has arrived a rolled-back one would have too.
        var marker = NextAsync(_changesB, "faq:marker");
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("marker", "标记"), t, CancellationToken.None));
        await marker.WaitAsync(Bound);

        lock (seen)
        {
            Assert.Equal(["faq:marker"], seen);
        }

        Assert.Equal("旧答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);
        Assert.Null(await faqB.FindAsync("x", CancellationToken.None));
    }

    [PostgresFact]
    public async Task Faq_BsListeningConnectionKilled_BListensAgainAndALaterEditReachesIt()
    {
        var faqA = new PostgresFaqStore(_a, _changesA);
        var faqB = new PostgresFaqStore(_b, _changesB);
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "旧答案"), t, CancellationToken.None));
        await StartListeningAsync();

        var lost = LostAsync();
        await KillListenerAsync();
        await lost.WaitAsync(Bound);
        var listening = ListeningAsync();
        _time.Advance(PostgresKnowledgeListener.ReconnectDelay);
        await listening.WaitAsync(Bound);
        Assert.Equal("旧答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);

        var notified = NextAsync(_changesB, "faq:a");
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "新答案"), t, CancellationToken.None));
        await notified.WaitAsync(Bound);

        Assert.Equal("新答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);
    }

    [PostgresFact]
    public async Task Faq_EditCommittedWhileBWasDisconnected_IsSeenOnceBListensAgain()
    {
        var faqA = new PostgresFaqStore(_a, _changesA);
        var faqB = new PostgresFaqStore(_b, _changesB);
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "旧答案"), t, CancellationToken.None));
        await StartListeningAsync();
        Assert.Equal("旧答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);

        var lost = LostAsync();
        await KillListenerAsync();
        await lost.WaitAsync(Bound);
        await InTransactionAsync(_a, t => faqA.UpsertAsync(Entry("a", "新答案"), t, CancellationToken.None));

        // Its notification went to nobody on B: B's copy still holds the old answer (so the reads below are B's copy's).
        Assert.Equal("旧答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);

        var listening = ListeningAsync();
        _time.Advance(PostgresKnowledgeListener.ReconnectDelay);
        await listening.WaitAsync(Bound);

        Assert.Equal("新答案", (await faqB.FindAsync("a", CancellationToken.None))!.Answer);
    }

    [PostgresFact]
    public async Task Notices_WithdrawnThroughA_LeavesBsNoticesInForceOnceNotified()
    {
        var noticesA = new PostgresNoticeStore(_a, _changesA);
        var noticesB = new PostgresNoticeStore(_b, _changesB);
        var notice = await InTransactionAsync(_a, t => noticesA.CreateAsync(Notice(), t, CancellationToken.None));
        await StartListeningAsync();
        Assert.Single(await noticesB.InForceAsync(Start.AddHours(1), CancellationToken.None));

        var notified = NextAsync(_changesB, $"notices:{notice.Id}");
        await InTransactionAsync(_a, t => noticesA.UpdateAsync(notice.Id, n =>
        {
            n.WithdrawnUtc = Start.AddMinutes(30);
            return true;
        }, t, CancellationToken.None));
        await notified.WaitAsync(Bound);

        Assert.Empty(await noticesB.InForceAsync(Start.AddHours(1), CancellationToken.None));
    }

    [PostgresFact]
    public async Task Directory_ReplacedThroughA_IsBsCurrentDirectoryOnceNotified_AndRaisesBsDirectoryChange()
    {
        var directoryA = new PostgresDirectoryStore(_a, _changesA);
        var directoryB = new PostgresDirectoryStore(_b, _changesB);
        await InTransactionAsync(_a, t => directoryA.ReplaceAllAsync(DirectoryFixture.Data(), t, CancellationToken.None));
        await StartListeningAsync();
        Assert.Equal("测试街道办事处", (await directoryB.CurrentAsync(CancellationToken.None)).StreetOffice.Name);
        var version = _changesB.VersionOf(KnowledgeTopic.Directory);

        var notified = NextAsync(_changesB, "directory");
        await InTransactionAsync(_a, t => directoryA.ReplaceAllAsync(DirectoryFixture.Data() with { StreetOffice = new StreetOffice { Name = "新街道办" } }, t, CancellationToken.None));
        var change = await notified.WaitAsync(Bound);

        Assert.Equal(KnowledgeTopic.Directory, change.Topic);
        Assert.True(_changesB.VersionOf(KnowledgeTopic.Directory) > version);
        Assert.Equal("新街道办", (await directoryB.CurrentAsync(CancellationToken.None)).StreetOffice.Name);
    }

    private async Task StartListeningAsync()
    {
        var listening = ListeningAsync();
        _listening = _listenerB.RunAsync(_stop.Token);
        await listening.WaitAsync(Bound);
    }

    private Task ListeningAsync()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnListening()
        {
            _listenerB.Listening -= OnListening;
            signal.TrySetResult();
        }

        _listenerB.Listening += OnListening;
        return signal.Task;
    }

    private Task LostAsync()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLost()
        {
            _listenerB.Lost -= OnLost;
            signal.TrySetResult();
        }

        _listenerB.Lost += OnLost;
        return signal.Task;
    }

    private static Task<KnowledgeChange> NextAsync(KnowledgeChanges changes, string payload)
    {
        var signal = new TaskCompletionSource<KnowledgeChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(KnowledgeChange change)
        {
            if (change.Payload == payload)
            {
                changes.Changed -= OnChanged;
                signal.TrySetResult(change);
            }
        }

        changes.Changed += OnChanged;
        return signal.Task;
    }

    // B's listening connection is the one of B's whose last statement was its LISTEN.
    private async Task KillListenerAsync()
    {
        await using var kill = _a.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND query LIKE 'LISTEN%'");
        kill.Parameters.AddWithValue("name", _applicationName);
        Assert.Equal(1L, await kill.ExecuteScalarAsync());
    }

    private static async Task InTransactionAsync(NpgsqlDataSource source, Func<NpgsqlTransaction, Task> work) =>
        await InTransactionAsync(source, async t =>
        {
            await work(t);
            return true;
        });

    private static async Task<T> InTransactionAsync<T>(NpgsqlDataSource source, Func<NpgsqlTransaction, Task<T>> work)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var result = await work(transaction);
        await transaction.CommitAsync();
        return result;
    }

    private static FaqEntry Entry(string id, string answer) => new() { Id = id, Question = "问题" + id, Answer = answer };

    private static Notice Notice() => new()
    {
        Title = "停电检修",
        Category = "水电气暖",
        Keywords = ["停电"],
        CommunityId = "FH-01",
        StartUtc = Start,
        EndUtc = Start.AddHours(10),
        Author = "boss",
        CreatedUtc = Start.AddDays(-1),
    };
}
