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
/// the class's throw-away database emptied before each test; then what only PostgreSQL's does: a write that records what
/// has no PostgreSQL store yet (a proactive turn) fails whole.
/// </summary>
[PostgresTests]
public sealed class PostgresTicketRepositoryTests(PostgresDatabase database) : TicketRepositoryContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;
    private PostgresOutbox? _outbox;
    private PostgresTicketTimerStore? _timers;
    private PostgresHandoffStore? _handoffs;
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
        _media = new PostgresMediaStore(_source);
        _serviceRequests = new PostgresOpen311SubmissionStore(_source);
        _repository = new PostgresTicketRepository(_source, new PostgresTicketStore(_source), _timers, _outbox, _handoffs, _media, _serviceRequests);
        await using var command = _source.CreateCommand(
            "TRUNCATE tickets, ticket_reporters, ticket_submissions, ticket_counters, ticket_timers, handoffs, outbox, "
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

    protected override Task<IReadOnlyList<MediaItem>> PhotosAsync(string number) => _media!.OfTicketAsync(number, CancellationToken.None);

    protected override Task<Open311Submission?> ServiceRequestAsync(string number) => _serviceRequests!.FindAsync(number, CancellationToken.None);

    [PostgresFact]
    public async Task Create_RecordingWhatHasNoPostgresStore_FailsAndKeepsNothing()
    {
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => Repository.CreateAsync(New("问卷"), LocalNow, (ticket, write) =>
        {
            write.Send([_outbox!.Create(new() { Channel = "test", ConversationId = "c" }, OutboundMessage.Plain("x"))]);
            write.Ask([ProactiveTurn.For(new() { Channel = "test", ConversationId = "c" }, "survey", "{}", T0)]);
        }, CancellationToken.None));

        Assert.Contains("WT20261123-0001", error.Message);
        Assert.Null(await Repository.FindAsync("WT20261123-0001", CancellationToken.None));
        Assert.Empty(await MessagesAsync());
    }
}
