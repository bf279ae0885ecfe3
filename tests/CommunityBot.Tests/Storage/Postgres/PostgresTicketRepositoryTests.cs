using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Open311;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Tickets;
using CommunityBot.Tickets;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>
/// The ticket repository contract (<see cref="TicketRepositoryContractTests"/>) on <see cref="PostgresTicketRepository"/>,
/// the class's throw-away database emptied before each test; then what only PostgreSQL's does: a write with a statement
/// the database refuses as its last statement keeps nothing, not even a number.
/// </summary>
[PostgresTests]
public sealed class PostgresTicketRepositoryTests(PostgresDatabase database) : TicketRepositoryContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;
    private PostgresOutbox? _outbox;
    private PostgresTicketTimerStore? _timers;
    private PostgresHandoffStore? _handoffs;
    private PostgresProactiveTurnStore? _prompts;
    private PostgresMediaStore? _media;
    private PostgresOpen311SubmissionStore? _serviceRequests;
    private PostgresTicketRepository? _repository;

    protected override ITicketRepository Repository => _repository!;

    public override async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _source = database.NewDataSource();
        _outbox = new PostgresOutbox(_source, new FakeTimeProvider(new DateTimeOffset(T0)), MsOptions.Create(new OutboxOptions()));
        _timers = new PostgresTicketTimerStore(_source);
        _handoffs = new PostgresHandoffStore(_source);
        _prompts = new PostgresProactiveTurnStore(_source, new FakeTimeProvider(new DateTimeOffset(T0)), MsOptions.Create(new OutboxOptions()));
        _media = new PostgresMediaStore(_source);
        _serviceRequests = new PostgresOpen311SubmissionStore(_source);
        _repository = new PostgresTicketRepository(
            _source, new PostgresTicketStore(_source), _timers, _outbox, _prompts, _handoffs, _media, _serviceRequests);
        await using var command = _source.CreateCommand(
            "TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters, ticket_timers, handoffs, outbox, proactive_turns, "
            + "media, media_files, open311_submissions RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<IReadOnlyList<string>> MessagesAsync() =>
        (await _outbox!.AllAsync(CancellationToken.None)).OrderBy(e => e.Id).Select(e => e.Message.ConversationKey).ToList();

    protected override async Task<TicketTimer?> TimerAsync(string number)
    {
        await using var connection = await _source!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        return await _timers!.FindAsync(number, transaction, CancellationToken.None);
    }

    protected override Task<Handoff?> HandoffAsync(string residentKey) => _handoffs!.ForResidentAsync(residentKey, CancellationToken.None);

    protected override async Task<IReadOnlyList<string>> PromptsAsync() =>
        (await _prompts!.PendingAsync(CancellationToken.None)).Select(e => e.Turn.Name).ToList();

    protected override Task<IReadOnlyList<MediaItem>> PhotosAsync(string number) => _media!.OfTicketAsync(number, CancellationToken.None);

    protected override Task<Open311Submission?> ServiceRequestAsync(string number) => _serviceRequests!.FindAsync(number, CancellationToken.None);

    // The photos are the write's last statements: one the database refuses (text with a NUL character is not valid in PostgreSQL)
    // takes back the ticket, its number, its messages, its proactive turns and the photo before it.
    [PostgresFact]
    public async Task Create_WhoseLastStatementFails_KeepsNothing()
    {
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Repository.CreateAsync(New("问卷"), LocalNow, (ticket, write) =>
        {
            write.Send([_outbox!.Create(new() { Channel = "test", ConversationId = "c" }, OutboundMessage.Plain("x"))]);
            write.Ask([ProactiveTurn.For(new() { Channel = "test", ConversationId = "c" }, "survey", "{}", T0)]);
            write.Photos.Add(new MediaItem { Id = "0123456789abcdef0123456789abcdef", Batch = "b", TicketNumber = ticket.Number });
            write.Photos.Add(new MediaItem { Id = "fedcba9876543210fedcba9876543210", Batch = "b\0", TicketNumber = ticket.Number });
        }, CancellationToken.None));

        Assert.Null(await Repository.FindAsync("WT20261123-0001", CancellationToken.None));
        Assert.Empty(await MessagesAsync());
        Assert.Empty(await PromptsAsync());
        Assert.Empty(await PhotosAsync("WT20261123-0001"));

        var next = await Repository.CreateAsync(New("问卷"), LocalNow, null, CancellationToken.None);
        Assert.Equal("WT20261123-0001", next.Ticket.Number); // the failed write took no number
    }
}
