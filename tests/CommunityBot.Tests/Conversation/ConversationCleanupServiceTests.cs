using CommunityBot.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Conversation;

/// <summary>The hourly cleanup forgets 提交 message ids (<c>ticket_submissions</c>) past their retention, and only those.</summary>
public sealed class ConversationCleanupServiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly TicketStore _tickets;
    private int _number;

    public ConversationCleanupServiceTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _tickets = new TicketStore(_database, _writer);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Sweep_DefaultRetention_RemovesSubmissionsOlderThanSevenDaysAndKeepsNewerOnes()
    {
        var old = await SubmitAsync("wecom|msg-old", Now - TimeSpan.FromDays(8));
        var justOld = await SubmitAsync("wecom|msg-just-old", Now - TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var recent = await SubmitAsync("wecom|msg-recent", Now - TimeSpan.FromDays(6));
        var fresh = await SubmitAsync("wecom|msg-fresh", Now - TimeSpan.FromMinutes(2));

        Cleanup(new TicketOptions()).Sweep(Now);

        Assert.Null(_tickets.TicketOfSubmission("wecom|msg-old"));
        Assert.Null(_tickets.TicketOfSubmission("wecom|msg-just-old"));
        Assert.Equal(recent, _tickets.TicketOfSubmission("wecom|msg-recent"));
        Assert.Equal(fresh, _tickets.TicketOfSubmission("wecom|msg-fresh"));
        // Only the redelivery record goes; the tickets themselves stay.
        Assert.NotNull(_tickets.Find(old));
        Assert.NotNull(_tickets.Find(justOld));
        Assert.Equal(2, _database.GetCollection("ticket_submissions").Count());
    }

    [Fact]
    public async Task Sweep_ConfiguredRetention_IsTheOneApplied()
    {
        await SubmitAsync("msteams|a", Now - TimeSpan.FromHours(3));
        var recent = await SubmitAsync("msteams|b", Now - TimeSpan.FromMinutes(50));

        Cleanup(new TicketOptions { SubmissionRetention = TimeSpan.FromHours(1) }).Sweep(Now);

        Assert.Null(_tickets.TicketOfSubmission("msteams|a"));
        Assert.Equal(recent, _tickets.TicketOfSubmission("msteams|b"));
    }

    [Fact]
    public void Sweep_RowWrittenBeforeTimesWereRecorded_IsRemoved()
    {
        // An upgraded store's rows have no time: nothing says they are recent, and channels stopped redelivering them long ago.
        _database.GetCollection("ticket_submissions").Insert(new BsonDocument { ["_id"] = "wecom|legacy", ["ticket"] = "WT20250101-0001" });

        Cleanup(new TicketOptions()).Sweep(Now);

        Assert.Null(_tickets.TicketOfSubmission("wecom|legacy"));
    }

    [Fact]
    public async Task Sweep_ResidentStateIdlePastTheDialogExpiry_IsDeletedAndARecentOneKept()
    {
        var expiry = new DialogOptions().Expiry;
        var idle = new LiteDbStorage(_database, _writer, new FakeTimeProvider(Now - expiry - TimeSpan.FromMinutes(1)));
        var recent = new LiteDbStorage(_database, _writer, new FakeTimeProvider(Now - TimeSpan.FromMinutes(1)));
        await idle.WriteAsync(new Dictionary<string, object> { ["test/conversations/g/users/a"] = new StoredItem { ["DialogState"] = "a" } }, CancellationToken.None);
        await recent.WriteAsync(new Dictionary<string, object> { ["test/conversations/g/users/b"] = new StoredItem { ["DialogState"] = "b" } }, CancellationToken.None);

        Cleanup(new TicketOptions(), storage: recent).Sweep(Now);

        var left = await recent.ReadAsync(["test/conversations/g/users/a", "test/conversations/g/users/b"], CancellationToken.None);
        Assert.Equal(["test/conversations/g/users/b"], left.Keys);
    }

    [Fact]
    public void TicketStore_SubmissionTimes_AreIndexedForThePrune()
    {
        var indexes = _database.GetCollection("$indexes").Find(Query.EQ("collection", "ticket_submissions")).Select(i => i["expression"].AsString);

        Assert.Contains("$.at", indexes);
    }

    private ConversationCleanupService Cleanup(TicketOptions options, OutboxOptions? outboxOptions = null, LiteDbStorage? storage = null) => new(
        new ProcessedMessageLog(_database, _writer),
        storage ?? new LiteDbStorage(_database, _writer, new FakeTimeProvider(Now)),
        _tickets,
        new Outbox(_database, _writer, new FakeTimeProvider(Now), MsOptions.Create(outboxOptions ?? new OutboxOptions())),
        new ProactiveTurnStore(_database, _writer, new FakeTimeProvider(Now), MsOptions.Create(outboxOptions ?? new OutboxOptions())),
        new FakeTimeProvider(Now),
        MsOptions.Create(new TurnOptions()),
        MsOptions.Create(new DialogOptions()),
        MsOptions.Create(options),
        MsOptions.Create(outboxOptions ?? new OutboxOptions()),
        NullLogger<ConversationCleanupService>.Instance);

    private async Task<string> SubmitAsync(string submissionKey, DateTimeOffset at)
    {
        var ticket = await _tickets.CreateAsync(
            new Ticket { Category = "环境保护", Description = "test " + ++_number, SubmissionKey = submissionKey, CreatedAt = at.UtcDateTime },
            at.ToOffset(TimeSpan.FromHours(8)));
        return ticket.Number;
    }
}
