using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Notifications;

/// <summary>The dispatcher keeps each channel within its messages-per-minute budget, on the injected clock.</summary>
public sealed class ChannelPacingTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly TestChannel _channel = new();
    private readonly LiteDbWriter _writer;
    private readonly Outbox _outbox;
    private readonly OutboxDispatcher _dispatcher;

    public ChannelPacingTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        var options = MsOptions.Create(new OutboxOptions { ChannelMessagesPerMinute = new() { [TestChannel.Name] = 3 }, MaxAttempts = 2 });
        _outbox = new Outbox(_database, _writer, _time, options);
        _dispatcher = new OutboxDispatcher(_outbox, [_channel], options, _time, NullLogger<OutboxDispatcher>.Instance);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Dispatch_MoreThanTheMinutesBudget_HoldsTheRestUntilTheWindowSlides()
    {
        await EnqueueToGroupsAsync(7);

        Assert.Equal(3, await _dispatcher.DispatchDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await _dispatcher.DispatchDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await _dispatcher.DispatchDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await _dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(7, _channel.Sent.Count);
        Assert.Equal(7, _channel.Sent.Select(s => s.To.ConversationId).Distinct().Count());
        Assert.Empty(_outbox.All()); // held back messages were not counted as failed attempts
    }

    [Fact]
    public async Task Dispatch_UnpacedChannel_DeliversEverythingAtOnce()
    {
        var other = new TestChannel("other");
        var options = MsOptions.Create(new OutboxOptions { ChannelMessagesPerMinute = new() { [TestChannel.Name] = 3 } });
        var dispatcher = new OutboxDispatcher(_outbox, [other], options, _time, NullLogger<OutboxDispatcher>.Instance);
        for (var i = 0; i < 7; i++)
        {
            await _outbox.SendAsync(new ConversationReference { Channel = "other", ConversationId = "g" + i, IsGroup = true }, OutboundMessage.Plain("通知"), CancellationToken.None);
        }

        Assert.Equal(7, await dispatcher.DispatchDueAsync(CancellationToken.None));
    }

    private async Task EnqueueToGroupsAsync(int groups)
    {
        for (var i = 0; i < groups; i++)
        {
            await _outbox.SendAsync(new ConversationReference { Channel = TestChannel.Name, ConversationId = "g" + i, IsGroup = true }, OutboundMessage.Plain("停水通知"), CancellationToken.None);
        }
    }
}
