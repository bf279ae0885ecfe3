using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Channels.WebChat;

public sealed class WebChatClientTests
{
    private readonly WebChatMailbox _mailbox = new(new FakeTimeProvider(), Options.Create(new WebChatOptions()));

    private WebChatClient CreateClient() =>
        new(_mailbox, Options.Create(new WebChatOptions()), NullLogger<WebChatClient>.Instance);

    private static ConversationReference To(string conversationId, bool isGroup, string userId = "zhang") => new()
    {
        Channel = "local",
        ConversationId = conversationId,
        IsGroup = isGroup,
        UserId = userId,
        BotId = "local-bot",
        BotName = "小灵通",
    };

    [Theory]
    [InlineData("local", true)]
    [InlineData("msteams", false)]
    [InlineData("wecom", false)]
    [InlineData("LOCAL", false)]
    public void Handles_Channel_OnlyLocal(string channel, bool expected)
    {
        Assert.Equal(expected, CreateClient().Handles(channel));
    }

    [Fact]
    public async Task SendAsync_Group_EveryParticipantSeesIt()
    {
        var message = OutboundMessage.WithButtons("您是想问：", [new CardAction("物业电话", "faq:1")]) with { Title = "猜您想问" };

        await CreateClient().SendAsync(To("demo-group", isGroup: true), message, CancellationToken.None);

        var entry = Assert.Single(_mailbox.GetAfter("demo-group", 0).Messages);
        Assert.Equal(WebChatSender.Bot, entry.From);
        Assert.Equal("local-bot", entry.UserId);
        Assert.Equal("小灵通", entry.UserName);
        Assert.Equal("您是想问：", entry.Text);
        Assert.Equal("猜您想问", entry.Title);
        Assert.Equal(new CardAction("物业电话", "faq:1"), Assert.Single(entry.Buttons));
        Assert.Null(entry.Addressee);
        Assert.True(entry.IsVisibleTo("li"));
        Assert.True(entry.IsVisibleTo(null));
    }

    [Fact]
    public async Task SendAsync_APhoto_IsKeptForThePage_OnlyWhenItIsAWebAddress()
    {
        var message = OutboundMessage.Plain("已办结") with
        {
            Attachments = [new OutboundAttachment("image", "https://files.example.org/a.jpg"), new OutboundAttachment("image", "javascript:alert(1)")],
        };

        await CreateClient().SendAsync(To("demo-group", isGroup: true), message, CancellationToken.None);

        var entry = Assert.Single(_mailbox.GetAfter("demo-group", 0).Messages);
        Assert.Equal(["https://files.example.org/a.jpg"], entry.Attachments.Select(a => a.Url));
    }

    [Fact]
    public async Task SendAsync_Private_OnlyItsAddresseeSeesIt()
    {
        await CreateClient().SendAsync(To("private-zhang", isGroup: false), OutboundMessage.Plain("请留下联系电话"), CancellationToken.None);

        var entry = Assert.Single(_mailbox.GetAfter("private-zhang", 0).Messages);
        Assert.Equal("zhang", entry.Addressee);
        Assert.True(entry.IsVisibleTo("zhang"));
        Assert.False(entry.IsVisibleTo("li"));
        Assert.False(entry.IsVisibleTo(null));
    }

    [Fact]
    public async Task SendAsync_ReferenceWithoutBotName_UsesConfiguredName()
    {
        await CreateClient().SendAsync(To("demo-group", isGroup: true) with { BotId = "", BotName = "" }, OutboundMessage.Plain("您好"), CancellationToken.None);

        var entry = Assert.Single(_mailbox.GetAfter("demo-group", 0).Messages);
        Assert.Equal("local-bot", entry.UserId);
        Assert.Equal("小灵通", entry.UserName);
    }
}
