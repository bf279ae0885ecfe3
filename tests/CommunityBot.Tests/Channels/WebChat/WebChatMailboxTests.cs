using CommunityBot.Channels.WebChat;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Channels.WebChat;

public sealed class WebChatMailboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero));

    private WebChatMailbox CreateMailbox(int maxMessages = 500, int maxConversations = 1_000) =>
        new(_time, Options.Create(new WebChatOptions { MaxMessagesPerConversation = maxMessages, MaxConversations = maxConversations }));

    private static WebChatEntry Said(string text, string? messageId = null) =>
        new() { From = WebChatSender.User, UserId = "zhang", UserName = "张阿姨", Text = text, MessageId = messageId };

    [Fact]
    public void Append_FirstMessages_NumberedFromOneAndTimeStamped()
    {
        var mailbox = CreateMailbox();

        var first = mailbox.Append("demo-group", Said("一"));
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = mailbox.Append("demo-group", Said("二"));

        Assert.Equal(1, first.Seq);
        Assert.Equal(2, second.Seq);
        Assert.Equal(_time.GetUtcNow(), second.At);
        Assert.Equal(1, mailbox.Append("other", Said("别处")).Seq);
    }

    [Fact]
    public void GetAfter_Watermark_ReturnsOnlyLaterMessages()
    {
        var mailbox = CreateMailbox();
        foreach (var text in new[] { "一", "二", "三" })
        {
            mailbox.Append("demo-group", Said(text));
        }

        var snapshot = mailbox.GetAfter("demo-group", 1);

        Assert.Equal(["二", "三"], snapshot.Messages.Select(m => m.Text));
        Assert.Equal(3, snapshot.Watermark);
        Assert.Empty(mailbox.GetAfter("demo-group", 3).Messages);
        Assert.Equal(3, mailbox.GetAfter("demo-group", 0).Messages.Count);
    }

    [Fact]
    public void GetAfter_UnknownConversation_EmptyAtZero()
    {
        var snapshot = CreateMailbox().GetAfter("nobody", 0);

        Assert.Empty(snapshot.Messages);
        Assert.Equal(0, snapshot.Watermark);
    }

    [Fact]
    public void Append_SameMessageIdTwice_KeptOnce()
    {
        var mailbox = CreateMailbox();

        var first = mailbox.Append("demo-group", Said("物业电话多少", "web-1"));
        var retried = mailbox.Append("demo-group", Said("物业电话多少", "web-1"));

        Assert.Equal(first, retried);
        Assert.Single(mailbox.GetAfter("demo-group", 0).Messages);
    }

    [Fact]
    public void Append_BeyondMaxMessages_DropsOldest()
    {
        var mailbox = CreateMailbox(maxMessages: 10);
        for (var i = 1; i <= 15; i++)
        {
            mailbox.Append("demo-group", Said($"第{i}条"));
        }

        var snapshot = mailbox.GetAfter("demo-group", 0);

        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), snapshot.Messages.Select(m => m.Seq));
        Assert.Equal(15, snapshot.Watermark);
        Assert.Equal([13L, 14L, 15L], mailbox.GetAfter("demo-group", 12).Messages.Select(m => m.Seq));
    }

    [Fact]
    public void Append_BeyondMaxConversations_DropsLeastRecentlyActive()
    {
        var mailbox = CreateMailbox(maxConversations: 2);
        mailbox.Append("a", Said("a1"));
        mailbox.Append("b", Said("b1"));
        mailbox.Append("a", Said("a2"));

        mailbox.Append("c", Said("c1"));

        Assert.Empty(mailbox.GetAfter("b", 0).Messages);
        Assert.Equal(2, mailbox.GetAfter("a", 0).Messages.Count);
        Assert.Single(mailbox.GetAfter("c", 0).Messages);
    }

    [Fact]
    public async Task WaitForMessages_AppendWhileWaiting_WakesWithTrue()
    {
        var mailbox = CreateMailbox();
        var wait = mailbox.WaitForMessagesAsync("demo-group", 0, TimeSpan.FromSeconds(25), CancellationToken.None);
        Assert.False(wait.IsCompleted);

        mailbox.Append("demo-group", Said("@小灵通 帮助"));

        Assert.True(await wait);
    }

    [Fact]
    public async Task WaitForMessages_AlreadyNewerMessage_TrueAtOnce()
    {
        var mailbox = CreateMailbox();
        mailbox.Append("demo-group", Said("一"));

        var wait = mailbox.WaitForMessagesAsync("demo-group", 0, TimeSpan.FromSeconds(25), CancellationToken.None);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
    }

    [Fact]
    public async Task WaitForMessages_AppendToOtherConversation_KeepsWaiting()
    {
        var mailbox = CreateMailbox();
        var wait = mailbox.WaitForMessagesAsync("demo-group", 0, TimeSpan.FromSeconds(25), CancellationToken.None);

        mailbox.Append("private-zhang", Said("一"));

        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.False(await wait);
    }

    [Fact]
    public async Task WaitForMessages_NothingAppended_TimesOutOnTheTimeProvider()
    {
        var mailbox = CreateMailbox();
        var wait = mailbox.WaitForMessagesAsync("demo-group", 0, TimeSpan.FromSeconds(10), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await wait);
    }

    [Fact]
    public async Task WaitForMessages_Cancelled_Throws()
    {
        var mailbox = CreateMailbox();
        using var cancellation = new CancellationTokenSource();
        var wait = mailbox.WaitForMessagesAsync("demo-group", 0, TimeSpan.FromSeconds(25), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task Append_FromManyThreads_EveryMessageKeptWithUniqueNumber()
    {
        var mailbox = CreateMailbox(maxMessages: 10_000);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                mailbox.Append("demo-group", Said($"{worker}-{i}"));
            }
        })));

        var snapshot = mailbox.GetAfter("demo-group", 0);
        Assert.Equal(2_000, snapshot.Messages.Count);
        Assert.Equal(Enumerable.Range(1, 2_000).Select(i => (long)i), snapshot.Messages.Select(m => m.Seq));
        Assert.Equal(2_000, snapshot.Messages.Select(m => m.Text).Distinct().Count());
    }
}
