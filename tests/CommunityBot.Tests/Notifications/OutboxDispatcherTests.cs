using CommunityBot.Channels;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Notifications;

/// <summary>The dispatcher picks due entries only, paces bulk sends behind replies, and forgets failures after their retention.</summary>
public sealed class OutboxDispatcherTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly LiteDbWriter _writer;

    public OutboxDispatcherTests() => _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Dispatch_600BackedOffEntries_ANewReplyIsStillPickedAndTheBackedOffOnesAreNotRetriedEarly()
    {
        var channel = new FlakyChannel(dead: id => id.StartsWith("dead-", StringComparison.Ordinal));
        var (outbox, dispatcher) = Create(channel, new OutboxOptions());
        await InsertAsync(outbox, Enumerable.Range(0, 600).Select(i => Reply(outbox, "dead-" + i)));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.All(outbox.All(), m => Assert.Equal(1, m.Attempts)); // all backed off, none due for 5 s

        await outbox.SendAsync(To("alive"), OutboundMessage.Plain("您好"), CancellationToken.None);

        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal("alive", Assert.Single(channel.Delivered).ConversationId);
        Assert.Equal(600, channel.Refused); // the backed-off entries were not tried again before they were due
        Assert.All(outbox.All(), m => Assert.Equal(1, m.Attempts));
    }

    [Fact]
    public async Task Dispatch_ABatchOfRemindersToOneConversation_IsSpacedAndAReplyElsewhereGoesFirst()
    {
        var channel = new FlakyChannel(dead: _ => false, name: "msteams");
        var (outbox, dispatcher) = Create(channel, new OutboxOptions());
        await InsertAsync(outbox, Enumerable.Range(0, 5).Select(i =>
        {
            var reminder = outbox.Create(To("worker", "msteams"), OutboundMessage.Plain("催办 " + i));
            reminder.Bulk = true;
            return reminder;
        }));
        await InsertAsync(outbox, [outbox.Create(To("resident", "msteams"), OutboundMessage.Plain("您好"))]);

        Assert.Equal(2, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(["resident", "worker"], channel.Delivered.Select(d => d.ConversationId).Order());

        for (var i = 1; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(999));
            Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None)); // Outbox:BulkConversationInterval (1 s)
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        }

        Assert.Equal(["催办 0", "催办 1", "催办 2", "催办 3", "催办 4"], channel.Delivered.Where(d => d.ConversationId == "worker").Select(d => d.Text));
    }

    [Fact]
    public async Task Cleanup_FailedEntries_KeptForTheRetentionThenPurged()
    {
        using var bot = new BotHarness();
        await bot.Outbox.SendAsync(To("g1", "gone"), OutboundMessage.Plain("通知"), CancellationToken.None); // no client: fails at once
        await bot.Outbox.SendAsync(To("g2"), OutboundMessage.Plain("通知"), CancellationToken.None);
        await bot.Dispatcher.DispatchDueAsync(CancellationToken.None);
        var failed = Assert.Single(bot.Outbox.All());
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal((0, 1), bot.Outbox.Counts());

        bot.Cleanup().Sweep(bot.Time.GetUtcNow() + TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        Assert.Single(bot.Outbox.All());

        bot.Cleanup().Sweep(bot.Time.GetUtcNow() + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Empty(bot.Outbox.All());
    }

    [Fact]
    public async Task Dispatch_AWriteThatRollsBack_ItsEntriesAreNeverSent()
    {
        var channel = new FlakyChannel(dead: _ => false);
        var (outbox, dispatcher) = Create(channel, new OutboxOptions());
        var entry = Reply(outbox, "g1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _writer.WriteAsync(_ =>
        {
            outbox.Insert([entry]);
            throw new InvalidOperationException("the turn failed after queuing its reply (test)");
        }));
        await outbox.SendAsync(To("g2"), OutboundMessage.Plain("答复"), CancellationToken.None);

        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal("g2", Assert.Single(channel.Delivered).ConversationId);
    }

    [Fact]
    public async Task Service_ACommittedReply_IsSentWhenTheCommitWakesIt_WithoutWaitingForAPoll()
    {
        var channel = new FlakyChannel(dead: _ => false);
        var (outbox, dispatcher) = Create(channel, new OutboxOptions { PollInterval = TimeSpan.FromMinutes(10) });
        using var service = new OutboxService(outbox, dispatcher, MsOptions.Create(new OutboxOptions { PollInterval = TimeSpan.FromMinutes(10) }),
            NullLogger<OutboxService>.Instance);
        await service.StartAsync(CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            await outbox.SendAsync(To("g" + i), OutboundMessage.Plain("答复 " + i), CancellationToken.None);
            var sent = i + 1;
            // The fake clock never moves: only the wake-up after each commit can have sent it.
            Assert.True(SpinWait.SpinUntil(() => channel.Delivered.Count == sent && outbox.All().Count == 0, TimeSpan.FromSeconds(30)));
        }

        await service.StopAsync(CancellationToken.None);
    }

    private (Outbox, OutboxDispatcher) Create(IChannelClient channel, OutboxOptions options)
    {
        var wrapped = MsOptions.Create(options);
        var outbox = new Outbox(_database, _writer, _time, wrapped);
        return (outbox, new OutboxDispatcher(outbox, [channel], wrapped, _time, NullLogger<OutboxDispatcher>.Instance));
    }

    private Task InsertAsync(Outbox outbox, IEnumerable<OutboxMessage> messages)
    {
        var list = messages.ToList();
        return _writer.WriteAsync(_ => outbox.Insert(list));
    }

    private static OutboxMessage Reply(Outbox outbox, string conversationId) => outbox.Create(To(conversationId), OutboundMessage.Plain("答复"));

    private static ConversationReference To(string conversationId, string channel = TestChannel.Name) =>
        new() { Channel = channel, ConversationId = conversationId, IsGroup = true };

    /// <summary>Delivers, except to the conversations <paramref name="dead"/> picks, which always fail.</summary>
    private sealed class FlakyChannel(Func<string, bool> dead, string name = TestChannel.Name) : IChannelClient
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string ConversationId, string Text)> _delivered = new();
        private int _refused;

        public IReadOnlyList<(string ConversationId, string Text)> Delivered => _delivered.ToList();

        public int Refused => _refused;

        public bool Handles(string channel) => channel == name;

        public Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
        {
            if (dead(to.ConversationId))
            {
                Interlocked.Increment(ref _refused);
                throw new HttpRequestException("endpoint down (test)");
            }

            _delivered.Enqueue((to.ConversationId, message.Text));
            return Task.CompletedTask;
        }
    }
}
