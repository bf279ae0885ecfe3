using CommunityBot.Broadcasts;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Two hosts' turn pipelines (each its own data source, state storage and middleware, as two processes have) over one
/// PostgreSQL database, through the real middleware and <see cref="PostgresTurnStore"/>: the same activity to both is
/// answered once; one resident's turns sent to alternate hosts, one after another or all at once, each see the previous
/// turn's state (no conflict, none lost); a redelivery to the other host after the commit is a duplicate; a failed turn
/// commits its apology and clears the resident's dialog on the shared database; a group's authenticated turn on one host
/// registers the group and its sender for the other, an unauthenticated one registers nothing.
/// </summary>
public sealed class PostgresPipelineCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Resident = "test/g/alice";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _observer = null!;
    private PostgresOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _observer = database.NewDataSource();
        _outbox = new PostgresOutbox(_observer, _time, MsOptions.Create(new OutboxOptions()));
        await using var command = _observer.CreateCommand("TRUNCATE bot_state, processed_messages, outbox, chat_groups, resident_groups RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task SameActivityToBothHostsAtOnce_IsAnsweredOnce()
    {
        var (a, b) = (NewHost(), NewHost());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => (i % 2 == 0 ? a : b).Pipeline.ProcessAsync(Message("m1"), CancellationToken.None))));

        Assert.Single(outcomes, o => o == TurnOutcome.Processed);
        Assert.All(outcomes.Where(o => o != TurnOutcome.Processed), o => Assert.Equal(TurnOutcome.Duplicate, o));
        Assert.Equal(1, a.Bot.Turns + b.Bot.Turns);
        Assert.Equal(["n=1"], await RepliesAsync());
    }

    [PostgresFact]
    public async Task OneResidentsTurnsAlternatingBetweenHosts_EachSeesThePreviousTurn()
    {
        var (a, b) = (NewHost(), NewHost());

        for (var i = 1; i <= 6; i++)
        {
            Assert.Equal(TurnOutcome.Processed, await (i % 2 == 0 ? b : a).Pipeline.ProcessAsync(Message($"m{i}"), CancellationToken.None));
        }

        Assert.Equal(["n=1", "n=2", "n=3", "n=4", "n=5", "n=6"], await RepliesAsync());
        Assert.Equal(3, a.Bot.Turns);
        Assert.Equal(3, b.Bot.Turns);
    }

    [PostgresFact]
    public async Task OneResidentsTurnsOnBothHostsAtOnce_RunOneAfterAnother_NoneLost()
    {
        // Without the resident's lock across hosts, two turns would read the same state and one commit would fail its ETag.
        var (a, b) = (NewHost(), NewHost());

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 10)
            .Select(i => Task.Run(() => (i % 2 == 0 ? b : a).Pipeline.ProcessAsync(Message($"m{i}"), CancellationToken.None))));

        Assert.All(outcomes, o => Assert.Equal(TurnOutcome.Processed, o));
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"n={n}"), (await RepliesAsync()).Order(StringComparer.Ordinal).OrderBy(r => r.Length));
        Assert.Equal("10", (await a.States.LoadAsync(Resident, CancellationToken.None))?.Step);
    }

    [PostgresFact]
    public async Task RedeliveryToTheOtherHostAfterTheCommit_IsADuplicate()
    {
        var (a, b) = (NewHost(), NewHost());
        Assert.Equal(TurnOutcome.Processed, await a.Pipeline.ProcessAsync(Message("m1"), CancellationToken.None));

        Assert.Equal(TurnOutcome.Duplicate, await b.Pipeline.ProcessAsync(Message("m1"), CancellationToken.None));

        Assert.Equal(0, b.Bot.Turns);
        Assert.Equal(["n=1"], await RepliesAsync());
    }

    [PostgresFact]
    public async Task FailedTurn_CommitsTheApology_AndClearsTheDialogForEveryHost()
    {
        var (a, b) = (NewHost(), NewHost(failOn: "m2"));
        await a.Pipeline.ProcessAsync(Message("m1"), CancellationToken.None);

        Assert.Equal(TurnOutcome.Failed, await b.Pipeline.ProcessAsync(Message("m2"), CancellationToken.None));

        Assert.Equal(["n=1", TurnErrorHandler.Apology], await RepliesAsync());
        Assert.Null(await a.States.LoadAsync(Resident, CancellationToken.None));
        Assert.Equal(TurnOutcome.Processed, await a.Pipeline.ProcessAsync(Message("m3"), CancellationToken.None));
        Assert.Equal("n=1", (await RepliesAsync())[^1]); // a fresh count: the failed turn's dialog was cleared
    }

    [PostgresFact]
    public async Task GroupsTurnOnOneHost_RegistersTheGroupAndItsSenderForTheOther()
    {
        var (a, b) = (NewHost(), NewHost());

        Assert.Equal(TurnOutcome.Processed, await a.Pipeline.ProcessAsync(Message("m1") with { Authenticated = true }, CancellationToken.None));

        var group = await b.Groups.FindAsync(GroupRegistry.KeyOf(TestChannel.Name, "g"), CancellationToken.None);
        Assert.NotNull(group);
        Assert.Equal("", GroupRegistry.ReferenceOf(group).UserId);
        Assert.Equal("g", (await b.Groups.LastGroupOfAsync(TestChannel.Name, "alice", CancellationToken.None))?.ConversationId);

        var forged = Message("m3") with { Conversation = Message("m3").Conversation with { ConversationId = "forged" } };
        Assert.Equal(TurnOutcome.Processed, await b.Pipeline.ProcessAsync(forged, CancellationToken.None));
        Assert.Equal(["g"], (await a.Groups.AllAsync(CancellationToken.None)).Select(g => g.ConversationId));
    }

    private Host NewHost(string? failOn = null)
    {
        var source = database.NewDataSource();
        var storage = new PostgresStorage(source, _time);
        var states = new BotStateDialogStore(storage);
        var outbox = new PostgresOutbox(source, _time, MsOptions.Create(new OutboxOptions()));
        var groups = new PostgresGroupRegistry(source);
        var turns = new PostgresTurnStore(source, new PostgresProcessedMessageLog(source), storage, outbox, groups);
        var bot = new CountingBot(states, failOn);
        var middleware = new TurnMiddleware(
            new DedupeMiddleware(NullLogger<DedupeMiddleware>.Instance),
            new ResidentLockMiddleware(),
            new TurnCommitMiddleware(states, storage, turns, _time),
            new SizeLimitMiddleware(MsOptions.Create(new TurnOptions())),
            relay: null,
            new TurnErrorHandler(states, NullLogger<TurnErrorHandler>.Instance));
        return new Host(new TurnPipeline(new ConversationBot(bot, NullLogger<ConversationBot>.Instance), middleware), states, bot, groups);
    }

    private InboundMessage Message(string id) => new()
    {
        Id = id,
        Conversation = new ConversationReference { Channel = TestChannel.Name, ConversationId = "g", IsGroup = true, UserId = "alice" },
        Text = "再说一次",
        AddressedToBot = true,
        Timestamp = _time.GetUtcNow(),
    };

    // The replies' texts in the order committed (the outbox's identity).
    private async Task<List<string>> RepliesAsync() =>
        (await _outbox.AllAsync(CancellationToken.None)).OrderBy(e => e.Id)
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<OutboundMessage>(e.Message.Message, DialogJson.Options)!.Text).ToList();

    private sealed record Host(TurnPipeline Pipeline, BotStateDialogStore States, CountingBot Bot, PostgresGroupRegistry Groups);

    /// <summary>Counts the resident's turns in their dialog state and answers the count; throws on the message <c>failOn</c>.</summary>
    private sealed class CountingBot(BotStateDialogStore states, string? failOn) : IBot
    {
        private int _turns;

        public int Turns => _turns;

        public async Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _turns);
            var state = await states.LoadAsync(turn.Inbound.StateKey, cancellationToken);
            var count = (state is null ? 0 : int.Parse(state.Step, System.Globalization.CultureInfo.InvariantCulture)) + 1;
            await Task.Yield(); // let a turn that is not held back run into this one
            await states.SaveAsync(turn.Inbound.StateKey, new DialogState { DialogId = "count", Step = $"{count}", LastActive = turn.Now }, cancellationToken);
            if (turn.Inbound.Id == failOn)
            {
                throw new InvalidOperationException("the bot failed");
            }

            turn.Reply($"n={count}");
        }
    }
}
