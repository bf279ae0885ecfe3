using System.Collections.Concurrent;
using CommunityBot.Channels;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresOutboxDispatcher"/> over one database, one or two instances (each its own data source and channel
/// client, one fake clock between them): every outcome of a send recorded under the claim's lease, each conversation in
/// order whichever instance sends, a dead instance's claim delivered by the other after the lease, and a stopping instance
/// handing its claims back at once.
/// </summary>
public sealed class PostgresOutboxDispatcherTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(2)); // against a hang, not a measure
    private readonly OutboxOptions _options = new();
    private readonly List<NpgsqlDataSource> _sources = [];

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        await using var source = database.NewDataSource();
        await using var command = source.CreateCommand("TRUNCATE outbox RESTART IDENTITY");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        _guard.Dispose();
    }

    [PostgresFact]
    public async Task DispatchDue_DeliversEachConversationInOrder_AndDeletesWhatWasDelivered()
    {
        var a = NewInstance("a");
        await InsertAsync(a, [Reply("g1", "一"), Reply("g2", "甲"), Reply("g1", "二"), Reply("g1", "三"), Reply("g2", "乙")]);

        Assert.Equal(5, await a.Dispatcher.DispatchDueAsync(_guard.Token));

        Assert.Equal(["一", "二", "三"], a.Channel.TextsTo("g1"));
        Assert.Equal(["甲", "乙"], a.Channel.TextsTo("g2"));
        Assert.Empty(await a.Outbox.AllAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task FailedSend_CountsAnAttempt_HoldsTheConversation_AndIsRetriedAfterTheBackoff()
    {
        var a = NewInstance("a");
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二")]);
        a.Channel.Next = (_, _) => throw new HttpRequestException("channel unavailable (test)");

        Assert.Equal(0, await a.Dispatcher.DispatchDueAsync(_guard.Token));
        var head = (await a.Outbox.PendingAsync(_guard.Token))[0];
        Assert.Equal((1, "channel unavailable (test)", (string?)null), (head.Message.Attempts, head.Message.LastError, (string?)head.ClaimedBy));
        Assert.Equal(_time.GetUtcNow().UtcDateTime + _options.RetryDelay(1), head.Message.DueAt);
        Assert.Equal(0, await a.Dispatcher.DispatchDueAsync(_guard.Token)); // "二" waits behind its head

        a.Channel.Next = null; // the channel is back
        _time.Advance(_options.RetryDelay(1));
        Assert.Equal(2, await a.Dispatcher.DispatchDueAsync(_guard.Token));
        Assert.Equal(["一", "二"], a.Channel.TextsTo("g1"));
    }

    [PostgresFact]
    public async Task RejectedSend_FailsTheEntryAtOnce_AndTheConversationGoesOn()
    {
        var a = NewInstance("a");
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二")]);
        var rejected = 0;
        a.Channel.Next = (_, _) => Interlocked.Increment(ref rejected) == 1
            ? throw new ChannelDeliveryRejectedException("the message is refused (test)")
            : Task.CompletedTask;

        Assert.Equal(1, await a.Dispatcher.DispatchDueAsync(_guard.Token));

        Assert.Equal(["二"], a.Channel.TextsTo("g1"));
        var failed = Assert.Single(await a.Outbox.FailedAsync(10, _guard.Token));
        Assert.Equal((OutboxStatus.Failed, 0, "the message is refused (test)"), (failed.Message.Status, failed.Message.Attempts, failed.Message.LastError));
    }

    [PostgresFact]
    public async Task ChannelRetryLater_ReleasesWithoutAnAttempt_UntilTheWaitItAskedFor()
    {
        var a = NewInstance("a");
        await InsertAsync(a, [Reply("g1", "一"), Reply("g2", "甲")]);
        a.Channel.Next = (to, _) => to.ConversationId == "g1"
            ? throw new ChannelRetryLaterException("429 (test)", TimeSpan.FromSeconds(20), "conversation")
            : Task.CompletedTask;

        Assert.Equal(1, await a.Dispatcher.DispatchDueAsync(_guard.Token));
        var held = Assert.Single(await a.Outbox.PendingAsync(_guard.Token));
        Assert.Equal((0, (string?)null), (held.Message.Attempts, held.ClaimedBy));
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddSeconds(20), held.Message.DueAt);

        a.Channel.Next = null;
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(0, await a.Dispatcher.DispatchDueAsync(_guard.Token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await a.Dispatcher.DispatchDueAsync(_guard.Token));
        Assert.Equal(["一"], a.Channel.TextsTo("g1"));
    }

    [PostgresFact]
    public async Task TwoInstancesDispatchingAtOnce_DeliverEveryEntryOnce_EachConversationInOrder()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var shared = new RecordingChannel(); // both instances' sends, in the order the channel took them
        (a, b) = (a with { Channel = shared, Dispatcher = NewDispatcher(a.Outbox, shared, "a") }, b with { Channel = shared, Dispatcher = NewDispatcher(b.Outbox, shared, "b") });
        var conversations = Enumerable.Range(1, 6).Select(i => $"g{i}").ToList();
        await InsertAsync(a, Enumerable.Range(0, 10).SelectMany(i => conversations.Select(g => Reply(g, $"{i}"))).ToList());
        shared.Next = async (_, _) => await Task.Yield(); // sends overlap between the instances

        var counts = await Task.WhenAll(
            Task.Run(() => a.Dispatcher.DispatchDueAsync(_guard.Token)),
            Task.Run(() => b.Dispatcher.DispatchDueAsync(_guard.Token)));
        // One instance may finish a round while the other still holds claims: a last pass picks up what it left.
        var rest = await a.Dispatcher.DispatchDueAsync(_guard.Token) + await b.Dispatcher.DispatchDueAsync(_guard.Token);

        Assert.Equal(60, counts.Sum() + rest);
        Assert.All(conversations, g => Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}"), shared.TextsTo(g)));
        Assert.Empty(await a.Outbox.AllAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task InstanceKilledBetweenClaimingAndDelivering_TheOtherDeliversAfterTheLease_InOrder()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二"), Reply("g2", "甲")]);
        var claimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Channel.Next = (to, _) =>
        {
            // "a" dies mid-send: it neither returns nor honours cancellation (a frozen or killed process).
            claimed.TrySetResult();
            return to.ConversationId == "g1" ? never.Task : Task.CompletedTask;
        };
        var dying = Task.Run(() => a.Dispatcher.DispatchDueAsync(CancellationToken.None));
        await claimed.Task.WaitAsync(_guard.Token);
        await WaitUntilAsync(async () => (await a.Outbox.PendingAsync(_guard.Token)).Count == 2); // 甲 delivered, g1 leased

        Assert.Equal(0, await b.Dispatcher.DispatchDueAsync(_guard.Token)); // the lease still holds g1
        _time.Advance(_options.Lease);
        Assert.Equal(2, await b.Dispatcher.DispatchDueAsync(_guard.Token));
        Assert.Equal(["一", "二"], b.Channel.TextsTo("g1"));
        Assert.Empty(await b.Outbox.AllAsync(_guard.Token));

        never.SetResult(); // "a" wakes up late: its outcome changes nothing any more
        Assert.Equal(2, await dying.WaitAsync(_guard.Token)); // 甲, and its late 一 (a second copy: at least once)
        Assert.Empty(await b.Outbox.AllAsync(_guard.Token));
    }

    [PostgresFact]
    public async Task StoppingDuringASend_HandsTheClaimBackAtOnce_ForTheOtherInstance()
    {
        var (a, b) = (NewInstance("a"), NewInstance("b"));
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Channel.Next = async (_, cancellationToken) =>
        {
            sending.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        };
        using var stop = new CancellationTokenSource();
        var wake = new WorkSignal();
        var running = Task.Run(() => a.Dispatcher.RunAsync(wake, stop.Token));
        await InsertAsync(a, [Reply("g1", "一")]);
        wake.Wake();
        await sending.Task.WaitAsync(_guard.Token);

        await stop.CancelAsync();
        await running.WaitAsync(_guard.Token);

        var released = Assert.Single(await b.Outbox.PendingAsync(_guard.Token));
        Assert.Equal((0, (string?)null), (released.Message.Attempts, released.ClaimedBy));
        Assert.Equal(1, await b.Dispatcher.DispatchDueAsync(_guard.Token)); // no lease to wait out
        Assert.Equal(["一"], b.Channel.TextsTo("g1"));
    }

    [PostgresFact]
    public async Task Running_WokenByACommit_DeliversTheConversationEntryAfterEntry()
    {
        var a = NewInstance("a");
        using var stop = new CancellationTokenSource();
        var wake = new WorkSignal();
        var running = Task.Run(() => a.Dispatcher.RunAsync(wake, stop.Token));

        // The fake clock never moves, so no poll comes: the wake, then each finished send, move it on.
        await InsertAsync(a, [Reply("g1", "一"), Reply("g1", "二"), Reply("g1", "三")]);
        wake.Wake();
        await WaitUntilAsync(() => Task.FromResult(a.Channel.TextsTo("g1").Count == 3));

        await stop.CancelAsync();
        await running.WaitAsync(_guard.Token);
        Assert.Equal(["一", "二", "三"], a.Channel.TextsTo("g1"));
        Assert.Empty(await a.Outbox.AllAsync(_guard.Token));
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            await Task.Delay(20, _guard.Token);
        }
    }

    private async Task InsertAsync(Instance instance, IReadOnlyList<OutboxMessage> messages)
    {
        await using var connection = await instance.Source.OpenConnectionAsync(_guard.Token);
        await using var transaction = await connection.BeginTransactionAsync(_guard.Token);
        await instance.Outbox.InsertAsync(messages, transaction, _guard.Token);
        await transaction.CommitAsync(_guard.Token);
    }

    // An "instance": its own data source (connection pool), outbox, channel client and dispatcher, on the shared clock.
    private Instance NewInstance(string name)
    {
        var source = database.NewDataSource();
        _sources.Add(source);
        var outbox = new PostgresOutbox(source, _time, MsOptions.Create(_options));
        var channel = new RecordingChannel();
        return new Instance(source, outbox, channel, NewDispatcher(outbox, channel, name));
    }

    private PostgresOutboxDispatcher NewDispatcher(PostgresOutbox outbox, RecordingChannel channel, string name) =>
        new(outbox, [channel], MsOptions.Create(_options), _time, NullLogger<PostgresOutboxDispatcher>.Instance, name);

    private OutboxMessage Reply(string conversationId, string text) => OutboxMessage.For(
        new ConversationReference { Channel = TestChannel.Name, ConversationId = conversationId, IsGroup = true },
        OutboundMessage.Plain(text),
        _time.GetUtcNow().UtcDateTime);

    private sealed record Instance(NpgsqlDataSource Source, PostgresOutbox Outbox, RecordingChannel Channel, PostgresOutboxDispatcher Dispatcher);

    /// <summary>Keeps what it took, in order; <see cref="Next"/>, when set, runs first and may throw or wait.</summary>
    private sealed class RecordingChannel : IChannelClient
    {
        private readonly ConcurrentQueue<(string Conversation, string Text)> _sent = new();

        public Func<ConversationReference, CancellationToken, Task>? Next { get; set; }

        public bool Handles(string channelId) => channelId == TestChannel.Name;

        public async Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
        {
            if (Next is { } next)
            {
                await next(to, cancellationToken);
            }

            _sent.Enqueue((to.ConversationId, message.Text));
        }

        public List<string> TextsTo(string conversationId) => _sent.Where(s => s.Conversation == conversationId).Select(s => s.Text).ToList();
    }
}
