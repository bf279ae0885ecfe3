using System.Text;
using CommunityBot.Channels.WeCom;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Tests.Channels.WeCom;

public sealed class WeComMessageMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static InboundMessage? Map(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", file));
        Assert.True(WeComMessageMapper.TryMap(json, "小灵通", Now, out var message, out var problem), problem);
        return message;
    }

    [Theory]
    [InlineData(@"\\..\\..")]
    [InlineData("response?code=1")]
    [InlineData("file:///etc/passwd")]
    public void Map_ResponseUrlNotAnHttpAddress_MessageIsTakenWithoutIt(string responseUrl)
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "wecom-text-group.json"));
        var json = System.Text.Encoding.UTF8.GetBytes(original.Replace(
            "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RESPONSE_CODE", responseUrl, StringComparison.Ordinal));

        Assert.True(WeComMessageMapper.TryMap(json, "小灵通", Now, out var message, out var problem), problem);
        Assert.Equal("物业电话多少", message!.Text);
        Assert.False(message.Conversation.Properties.ContainsKey("response_url"));
        Assert.False(message.Conversation.Properties.ContainsKey("response_url_expires"));
    }

    [Fact]
    public void Map_GroupText_StripsMentionAndKeysByChat()
    {
        var message = Map("wecom-text-group.json")!;

        Assert.Equal("CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=", message.Id);
        Assert.Equal("wecom", message.Channel);
        Assert.Equal("物业电话多少", message.Text);
        Assert.True(message.AddressedToBot);
        Assert.True(message.IsGroup);
        Assert.Equal("CHATID", message.Conversation.ConversationId);
        Assert.Equal("USERID", message.UserId);
        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RESPONSE_CODE", message.Conversation.Properties["response_url"]);
        Assert.Equal("group", message.Conversation.Properties["chattype"]);
        Assert.Equal("AIBOTID", message.Conversation.Properties["aibotid"]);
        Assert.Equal(Now.AddHours(1), DateTimeOffset.Parse(message.Conversation.Properties["response_url_expires"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Map_SingleText_KeysConversationByUser()
    {
        var message = Map("wecom-text-single.json")!;

        Assert.False(message.IsGroup);
        Assert.Equal("single:zhangsan", message.Conversation.ConversationId);
        Assert.Equal("停车费怎么交", message.Text);
        Assert.Equal("single", message.Conversation.Properties["chattype"]);
    }

    [Fact]
    public void Map_Image_BecomesAttachment()
    {
        var message = Map("wecom-image.json")!;

        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("image", attachment.ContentType);
        Assert.Equal("https://wework.example/image?id=IMAGE1", attachment.Url);
        Assert.Equal("", message.Text);
    }

    [Fact]
    public void Map_Mixed_JoinsTextAndKeepsImages()
    {
        var message = Map("wecom-mixed.json")!;

        Assert.Equal("5号楼门口的路灯坏了", message.Text);
        Assert.Equal("https://wework.example/image?id=LAMP", Assert.Single(message.Attachments).Url);
        Assert.Equal("lisi", message.UserId);
    }

    [Fact]
    public void Map_Voice_UsesTranscript()
    {
        Assert.Equal("物业电话多少", Map("wecom-voice.json")!.Text);
    }

    [Fact]
    public void Map_File_BecomesAttachment()
    {
        var attachment = Assert.Single(Map("wecom-file.json")!.Attachments);
        Assert.Equal("file", attachment.ContentType);
        Assert.Equal("https://wework.example/file?id=FILE1", attachment.Url);
    }

    [Fact]
    public void Map_StreamRefresh_IsNothingToProcess()
    {
        Assert.Null(Map("wecom-stream.json"));
    }

    [Fact]
    public void Map_FeedbackEvent_IsNothingToProcess()
    {
        Assert.Null(Map("wecom-event-feedback.json"));
    }

    [Fact]
    public void Map_EnterChat_IsGreeting()
    {
        var message = Map("wecom-event-enter-chat.json")!;

        Assert.Equal(InboundKind.BotAdded, message.Kind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), message.Timestamp);
    }

    [Fact]
    public void Map_TemplateCardEvent_CarriesEventKeyAsButtonValue()
    {
        var message = Map("wecom-event-template-card.json")!;

        Assert.Equal("ticket:sign:T20261123-0001", message.ButtonValue);
        Assert.Equal("wangwu", message.UserId);
        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=CARD", message.Conversation.Properties["response_url"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"msgtype\":\"text\"}")]
    [InlineData("{\"msgid\":\"1\",\"msgtype\":\"text\",\"chattype\":\"group\",\"from\":{\"userid\":\"u\"}}")]
    public void Map_Malformed_ReportsProblem(string json)
    {
        Assert.False(WeComMessageMapper.TryMap(Encoding.UTF8.GetBytes(json), "小灵通", Now, out var message, out var problem));
        Assert.Null(message);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("@小灵通 物业电话多少", true, "物业电话多少")]
    [InlineData("@小灵通\u2005物业电话多少", true, "物业电话多少")]
    [InlineData("@RobotA hello robot", true, "hello robot")]
    [InlineData("@RobotA", true, "")]
    [InlineData("@RobotA hello", false, "@RobotA hello")]
    [InlineData("  物业电话 ", true, "物业电话")]
    public void StripMention_LeadingMention_Removed(string text, bool isGroup, string expected)
    {
        Assert.Equal(expected, WeComMessageMapper.StripMention(text, "小灵通", isGroup));
    }

    [Fact]
    public void ToMarkdown_SeveralRepliesWithButtons_JoinsThem()
    {
        var markdown = WeComMessageMapper.ToMarkdown(
        [
            OutboundMessage.Plain("物业电话：0371-12345678"),
            OutboundMessage.WithButtons("您是想问：", [new CardAction("停车费怎么交", "faq:2")]),
        ]);

        Assert.Equal("物业电话：0371-12345678\n\n您是想问：\n> 停车费怎么交", markdown);
    }
}
