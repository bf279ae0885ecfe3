using CommunityBot.Channels.WebChat;

namespace CommunityBot.Tests.Channels.WebChat;

public sealed class WebChatMapperTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(8));

    private static WebChatMessageRequest Group(string text) => new()
    {
        ConversationId = "demo-group",
        UserId = "zhang",
        UserName = "张阿姨",
        IsGroup = true,
        Text = text,
    };

    private static CommunityBot.Dialogs.Conversation.InboundMessage Map(WebChatMessageRequest request, string botName = "小灵通")
    {
        Assert.True(WebChatMapper.TryMap(request, botName, Now, out var message, out var error), error);
        return message;
    }

    [Fact]
    public void TryMap_ImageUrl_BecomesAPhotoAttachment_WithOrWithoutText()
    {
        var message = Map(Group("") with { IsGroup = false, ImageUrl = "https://files.example.org/a.jpg" });

        var photo = Assert.Single(message.Attachments);
        Assert.Equal(("image", "https://files.example.org/a.jpg"), (photo.ContentType, photo.Url));
        Assert.Equal("", message.Text);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,AAAA")]
    [InlineData("/relative.jpg")]
    [InlineData("ftp://files.example.org/a.jpg")]
    public void TryMap_ImageUrlThatIsNoWebAddress_IsRefusedClearly(string url)
    {
        Assert.False(WebChatMapper.TryMap(Group("看图") with { ImageUrl = url }, "小灵通", Now, out _, out var error));
        Assert.Contains("http(s)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@小灵通 物业电话多少", "物业电话多少")]
    [InlineData("@小灵通物业电话多少", "物业电话多少")]
    [InlineData("＠小灵通 物业电话多少", "物业电话多少")]
    [InlineData("＠小灵通\u3000物业电话多少", "物业电话多少")]
    [InlineData("物业电话多少 @小灵通", "物业电话多少")]
    [InlineData("请问@小灵通 物业电话多少", "请问 物业电话多少")]
    public void TryMap_GroupWithMention_AddressedAndMentionRemoved(string text, string expected)
    {
        var message = Map(Group(text));

        Assert.True(message.AddressedToBot);
        Assert.Equal(expected, message.Text);
    }

    [Fact]
    public void TryMap_GroupWithoutMention_NotAddressed()
    {
        var message = Map(Group("今天谁家的快递放错了"));

        Assert.False(message.AddressedToBot);
        Assert.Equal("今天谁家的快递放错了", message.Text);
    }

    [Fact]
    public void TryMap_GroupMentioningSomeoneElse_NotAddressed()
    {
        var message = Map(Group("@小蜜蜂 楼下好吵"));

        Assert.False(message.AddressedToBot);
        Assert.Equal("@小蜜蜂 楼下好吵", message.Text);
    }

    [Fact]
    public void TryMap_ConfiguredBotName_MentionOfThatNameAddresses()
    {
        var message = Map(Group("@小蜜蜂 楼下好吵"), botName: "小蜜蜂");

        Assert.True(message.AddressedToBot);
        Assert.Equal("楼下好吵", message.Text);
        Assert.Equal("小蜜蜂", message.Conversation.BotName);
    }

    [Fact]
    public void TryMap_Private_AddressedWithoutMention()
    {
        var message = Map(Group("物业电话多少") with { ConversationId = "private-zhang", IsGroup = false });

        Assert.True(message.AddressedToBot);
        Assert.False(message.IsGroup);
        Assert.Equal("物业电话多少", message.Text);
    }

    [Fact]
    public void TryMap_ButtonPressInGroup_AddressedWithValue()
    {
        var message = Map(Group("物业电话") with { ButtonValue = "faq:property-phone" });

        Assert.True(message.AddressedToBot);
        Assert.Equal("faq:property-phone", message.ButtonValue);
        Assert.Equal("物业电话", message.Text);
    }

    [Fact]
    public void TryMap_ButtonPressWithoutText_Accepted()
    {
        var message = Map(Group("") with { ButtonValue = "yes" });

        Assert.True(message.AddressedToBot);
        Assert.Equal("yes", message.ButtonValue);
    }

    [Fact]
    public void TryMap_Valid_FillsTheConversationReference()
    {
        var message = Map(Group("@小灵通 帮助") with { MessageId = "web-1" });

        Assert.Equal("web-1", message.Id);
        Assert.Equal(Now, message.Timestamp);
        Assert.Null(message.ButtonValue);
        Assert.Equal("local/demo-group/zhang", message.StateKey);
        var reference = message.Conversation;
        Assert.Equal("local", reference.Channel);
        Assert.Equal("demo-group", reference.ConversationId);
        Assert.True(reference.IsGroup);
        Assert.Equal("zhang", reference.UserId);
        Assert.Equal("张阿姨", reference.UserName);
        Assert.Equal("local-bot", reference.BotId);
        Assert.Equal("小灵通", reference.BotName);
    }

    [Fact]
    public void TryMap_NoMessageId_NewIdEachTime()
    {
        var first = Map(Group("@小灵通 帮助"));
        var second = Map(Group("@小灵通 帮助"));

        Assert.False(string.IsNullOrEmpty(first.Id));
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void TryMap_NoUserName_FallsBackToUserId()
    {
        var message = Map(Group("@小灵通 帮助") with { UserName = null });

        Assert.Equal("zhang", message.Conversation.UserName);
    }

    [Fact]
    public void TryMap_TextOfExactlyMaxLength_Accepted()
    {
        var message = Map(Group(new string('好', WebChatMapper.MaxTextLength)));

        Assert.Equal(WebChatMapper.MaxTextLength, message.Text.Length);
    }

    [Theory]
    [InlineData("conversation-missing", "conversationId")]
    [InlineData("conversation-space", "conversationId")]
    [InlineData("conversation-too-long", "conversationId")]
    [InlineData("conversation-trailing-newline", "conversationId")]
    [InlineData("conversation-chinese", "conversationId")]
    [InlineData("user-missing", "userId")]
    [InlineData("user-slash", "userId")]
    [InlineData("message-id-bad", "messageId")]
    [InlineData("user-name-too-long", "userName")]
    [InlineData("text-too-long", "消息过长")]
    [InlineData("button-too-long", "buttonValue")]
    [InlineData("text-empty", "消息内容为空")]
    [InlineData("text-whitespace", "消息内容为空")]
    [InlineData("text-null", "消息内容为空")]
    public void TryMap_InvalidRequest_FailsWithReason(string @case, string expectedInError)
    {
        var valid = Group("@小灵通 物业电话多少");
        var request = @case switch
        {
            "conversation-missing" => valid with { ConversationId = null },
            "conversation-space" => valid with { ConversationId = "demo group" },
            "conversation-too-long" => valid with { ConversationId = new string('a', 65) },
            "conversation-trailing-newline" => valid with { ConversationId = "demo-group\n" },
            "conversation-chinese" => valid with { ConversationId = "业主群" },
            "user-missing" => valid with { UserId = "" },
            "user-slash" => valid with { UserId = "../zhang" },
            "message-id-bad" => valid with { MessageId = "<script>" },
            "user-name-too-long" => valid with { UserName = new string('张', 33) },
            "text-too-long" => valid with { Text = new string('好', WebChatMapper.MaxTextLength + 1) },
            "button-too-long" => valid with { ButtonValue = new string('x', WebChatMapper.MaxTextLength + 1) },
            "text-empty" => valid with { Text = "" },
            "text-whitespace" => valid with { Text = " \n " },
            "text-null" => valid with { Text = null },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        Assert.False(WebChatMapper.TryMap(request, "小灵通", Now, out var message, out var error));
        Assert.Null(message);
        Assert.Contains(expectedInError, error);
    }

    [Fact]
    public void TryMap_TextTooLong_ErrorIsBilingual()
    {
        WebChatMapper.TryMap(Group(new string('好', 2_001)), "小灵通", Now, out _, out var error);

        Assert.Contains("最多 2000 个字符", error);
        Assert.Contains("at most 2,000 characters", error);
    }
}
