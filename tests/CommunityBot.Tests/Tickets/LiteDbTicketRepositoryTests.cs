using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Open311;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Tickets;

using Handoff = CommunityBot.Tickets.Handoff;

/// <summary>The ticket repository contract (<see cref="TicketRepositoryContractTests"/>) on <see cref="LiteDbTicketRepository"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbTicketRepositoryTests : TicketRepositoryContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly Outbox _outbox;
    private readonly HandoffStore _handoffs;
    private readonly TicketTimerStore _timers;
    private readonly ProactiveTurnStore _prompts;
    private readonly MediaStore _media;
    private readonly Open311SubmissionStore _serviceRequests;

    public LiteDbTicketRepositoryTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        var time = new FakeTimeProvider(new DateTimeOffset(T0));
        var options = MsOptions.Create(new OutboxOptions());
        _outbox = new Outbox(_database, _writer, time, options);
        _handoffs = new HandoffStore(_database, _writer);
        _timers = new TicketTimerStore(_database);
        _prompts = new ProactiveTurnStore(_database, _writer, time, options);
        _media = new MediaStore(_database, _writer, Path.Combine(Path.GetTempPath(), "cb-media-unused")); // no bytes are stored here
        _serviceRequests = new Open311SubmissionStore(_database);
        Repository = new LiteDbTicketRepository(
            new TicketStore(_database, _writer), _writer, _outbox, _prompts, _handoffs, _timers, _media, _serviceRequests);
    }

    protected override ITicketRepository Repository { get; }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<IReadOnlyList<string>> MessagesAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_outbox.All().OrderBy(m => m.Id).Select(m => m.ConversationKey).ToList());

    protected override Task<TicketTimer?> TimerAsync(string number) => Task.FromResult(_timers.Find(number) is { } timer ? InUtc(timer) : null);

    protected override Task<Handoff?> HandoffAsync(string residentKey) => Task.FromResult(_handoffs.ForResident(residentKey));

    protected override Task<IReadOnlyList<string>> PromptsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_prompts.Pending().Select(t => t.Name).ToList());

    protected override Task<IReadOnlyList<MediaItem>> PhotosAsync(string number) => Task.FromResult(_media.OfTicket(number));

    protected override Task<Open311Submission?> ServiceRequestAsync(string number) => Task.FromResult(_serviceRequests.Find(number));

    // LiteDB reads times back as local.
    private static TicketTimer InUtc(TicketTimer timer)
    {
        timer.NextAt = timer.NextAt?.ToUniversalTime();
        return timer;
    }
}
