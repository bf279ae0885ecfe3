using System.Collections.Concurrent;
using CommunityBot.Channels;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Tests.Harness;

/// <summary>A channel client that keeps what the bot sends, in order, for tests to read.</summary>
public sealed class TestChannel(string channel = TestChannel.Name) : IChannelClient
{
    public const string Name = "test";

    private readonly ConcurrentQueue<(ConversationReference To, OutboundMessage Message)> _sent = new();

    /// <summary>Set to make the next deliveries fail (simulates a channel outage).</summary>
    public int FailNext { get; set; }

    public IReadOnlyList<(ConversationReference To, OutboundMessage Message)> Sent => _sent.ToList();

    public bool Handles(string channelId) => channelId == channel;

    public Task SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new HttpRequestException("channel unavailable (test)");
        }

        _sent.Enqueue((to, message));
        return Task.CompletedTask;
    }

    public bool TryTake(out (ConversationReference To, OutboundMessage Message) item) => _sent.TryDequeue(out item);
}
