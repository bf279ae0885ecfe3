using CommunityBot.Clocks;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Notifications;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Two hosts' ticket desks (each its own data source and stores, as two processes have) over one PostgreSQL database,
/// through <see cref="PostgresTicketRepository"/>: a ticket filed on one host and due while that host is stopped is
/// escalated once by the other; both hosts sweeping at once escalate each due ticket once; reports filed on both at once
/// get unique, gap-free numbers, each with its one worker card; a take-over started on one host is relayed by the other;
/// a report without a phone filed on one host leaves one request to ask for it, which the other host's store sees.
/// </summary>
public sealed class PostgresDeskCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.FromHours(8)));
    private readonly FakeDirectory _directory = new();
    private NpgsqlDataSource _observer = null!;
    private PostgresOutbox _outbox = null!;
    private PostgresTicketStore _tickets = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        _outbox = new PostgresOutbox(_observer, _time, MsOptions.Create(new OutboxOptions()));
        _tickets = new PostgresTicketStore(_observer);
        await using var command = _observer.CreateCommand(
            "TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters, ticket_timers, handoffs, outbox, proactive_turns, media, media_files, open311_submissions RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task DueWhileTheFilingHostIsStopped_TheOtherEscalatesOnce()
    {
        var filing = NewDesk();
        var number = (await filing.FileAsync(Report("alice"), _time.GetUtcNow(), CancellationToken.None)).Number;
        // The filing host is gone from here on; only the other sweeps.
        var other = NewDesk();
        _time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(1, await other.SweepEscalationsAsync(_time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(0, await other.SweepEscalationsAsync(_time.GetUtcNow(), CancellationToken.None));

        var ticket = await _tickets.FindAsync(number, CancellationToken.None);
        Assert.Single(ticket!.Events, e => e.Kind == TicketEventKind.Escalated);
        Assert.Equal(TicketLevel.Community, ticket.CurrentLevel);
        Assert.Single(await MessagesToAsync("private-" + FakeDirectory.CommunityStaff));
    }

    [PostgresFact]
    public async Task BothHostsSweepingAtOnce_EscalateEachDueTicketOnce()
    {
        var (a, b) = (NewDesk(), NewDesk());
        var numbers = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            numbers.Add((await (i % 2 == 0 ? a : b).FileAsync(Report($"resident{i}"), _time.GetUtcNow(), CancellationToken.None)).Number);
        }

        _time.Advance(TimeSpan.FromMinutes(30));
        var fired = await Task.WhenAll(
            Task.Run(() => a.SweepEscalationsAsync(_time.GetUtcNow(), CancellationToken.None)),
            Task.Run(() => b.SweepEscalationsAsync(_time.GetUtcNow(), CancellationToken.None)));

        Assert.Equal(12, fired.Sum());
        foreach (var number in numbers)
        {
            Assert.Single((await _tickets.FindAsync(number, CancellationToken.None))!.Events, e => e.Kind == TicketEventKind.Escalated);
        }

        Assert.Equal(12, (await MessagesToAsync("private-" + FakeDirectory.CommunityStaff)).Count);
    }

    [PostgresFact]
    public async Task FiledOnBothHostsAtOnce_NumbersAreUniqueAndGapFree_EachWithOneCard()
    {
        var (a, b) = (NewDesk(), NewDesk());

        var receipts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => (i % 2 == 0 ? a : b).FileAsync(Report($"resident{i}"), _time.GetUtcNow(), CancellationToken.None))));

        Assert.Equal(
            Enumerable.Range(1, 16).Select(n => $"WT20261123-{n:0000}"),
            receipts.Select(r => r.Number).Order(StringComparer.Ordinal));
        Assert.Equal(16, (await MessagesToAsync("private-" + FakeDirectory.GridWorker)).Count);
    }

    [PostgresFact]
    public async Task SubmissionFiledOnOneHost_FiledAgainOnTheOther_IsTheSameTicket()
    {
        var (a, b) = (NewDesk(), NewDesk());
        var report = Report("alice") with { SubmissionKey = "test|m42" };

        var both = await Task.WhenAll(
            Task.Run(() => a.FileAsync(report, _time.GetUtcNow(), CancellationToken.None)),
            Task.Run(() => b.FileAsync(report, _time.GetUtcNow(), CancellationToken.None)));

        Assert.Equal(both[0].Number, both[1].Number);
        Assert.Single((await _tickets.AllAsync(CancellationToken.None)));
        Assert.Single(await MessagesToAsync("private-" + FakeDirectory.GridWorker));
    }

    [PostgresFact]
    public async Task FiledWithoutAPhoneOnOneHost_OneRequestToAskForIt_SeenAndClaimedByTheOther()
    {
        var (filing, other) = (NewHost(), NewHost());

        var receipt = await filing.Desk.FileAsync(Report("alice") with { Phone = null }, _time.GetUtcNow(), CancellationToken.None);

        var pending = Assert.Single(await other.Prompts.PendingAsync(CancellationToken.None));
        Assert.Equal(TicketPrompt.ContactEvent, pending.Turn.Name);
        Assert.Equal($"{TestChannel.Name}/private-alice/alice", pending.Turn.ResidentKey);
        Assert.Equal(receipt.Number, TicketPrompt.Read(pending.Turn.Value)?.TicketNumber);
        Assert.Null(pending.ClaimedBy);
        var claim = Assert.Single(await other.Prompts.ClaimAsync("other", 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(pending.Turn.Id, claim.Turn.Id);
        Assert.Empty(await filing.Prompts.ClaimAsync("filing", 10, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    private TicketDesk NewDesk() => NewHost().Desk;

    private (TicketDesk Desk, PostgresProactiveTurnStore Prompts) NewHost()
    {
        var source = database.NewDataSource();
        var handoffs = new PostgresHandoffStore(source);
        var prompts = new PostgresProactiveTurnStore(source, _time, MsOptions.Create(new OutboxOptions()));
        var repository = new PostgresTicketRepository(
            source, new PostgresTicketStore(source), new PostgresTicketTimerStore(source),
            new PostgresOutbox(source, _time, MsOptions.Create(new OutboxOptions())), prompts, handoffs,
            new PostgresMediaStore(source), new PostgresOpen311SubmissionStore(source));
        return (new TicketDesk(
            repository, _directory, handoffs, _directory, _time, MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance,
            TicketClock.KeepingTimersElsewhere(new ClockOptions())), prompts);
    }

    // Each resident's own place, so no report joins another's ticket as a duplicate.
    private static GrievanceReport Report(string userId) => new()
    {
        Reporter = new ConversationReference { Channel = TestChannel.Name, ConversationId = "g", IsGroup = true, UserId = userId, UserName = "居民" },
        Category = "环境保护",
        Description = "5号楼楼下烧烤店天天半夜吵得睡不着",
        CompoundId = "xfl",
        CompoundName = "幸福里小区",
        Landmark = userId + "家门口",
        // With a phone number: without one the desk also asks for it in a proactive turn.
        Phone = "13812345678",
    };

    private async Task<List<OutboxMessage>> MessagesToAsync(string conversationId) =>
        (await _outbox.AllAsync(CancellationToken.None)).Select(e => e.Message)
            .Where(m => m.ConversationKey == $"{TestChannel.Name}/{conversationId}").ToList();
}
