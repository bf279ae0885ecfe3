using System.Text.Json;
using CommunityBot.Channels.BotFramework;
using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using CardAction = CommunityBot.Dialogs.Conversation.CardAction;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>Bot Builder's <see cref="Activity"/>, read from the wire as CloudAdapter reads it, to and from the dialogs' messages.</summary>
public class ActivityMapperTests
{
    private static readonly DateTimeOffset s_receivedAt = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An activity as the SDK reads a request body (HttpHelper's serializer settings).</summary>
    internal static Activity Parse(string json) =>
        Newtonsoft.Json.JsonConvert.DeserializeObject<Activity>(json, HttpHelper.BotMessageSerializerSettings)!;

    internal static Activity Load(string file) => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", file)));

    /// <summary>An activity as the SDK writes it to the Connector.</summary>
    private static JsonElement Wire(Activity activity) =>
        JsonDocument.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(activity, HttpHelper.BotMessageSerializerSettings)).RootElement;

    private static InboundMessage Map(string file)
    {
        var activity = Load(file);
        Assert.Null(ActivityMapper.FindProblem(activity));
        return Assert.IsType<InboundMessage>(ActivityMapper.ToInbound(activity, s_receivedAt));
    }

    [Fact]
    public void GroupMention_ChineseBotName_StripsMentionAndAddressesBot()
    {
        var message = Map("teams-group-mention.json");

        Assert.Equal("物业电话多少", message.Text);
        Assert.True(message.AddressedToBot);
        Assert.Equal(InboundKind.Message, message.Kind);
        Assert.Equal("1712345678901", message.Id);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 15, 30, 123, TimeSpan.Zero), message.Timestamp);

        var to = message.Conversation;
        Assert.Equal("msteams", to.Channel);
        Assert.Equal("19:abc@thread.skype;messageid=1", to.ConversationId);
        Assert.True(to.IsGroup);
        Assert.Equal("29:1resident-wang", to.UserId);
        Assert.Equal("王阿姨", to.UserName);
        Assert.Equal("28:c9e8c047-2a74-40a2-b28a-b162d5f5327c", to.BotId);
        Assert.Equal("小灵通", to.BotName);
        Assert.Equal("https://smba.trafficmanager.net/apac/", to.ServiceUrl);
        Assert.Equal("1712345678901", to.ReplyToId);
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", to.TenantId);
        Assert.Equal("msteams/19:abc@thread.skype;messageid=1/29:1resident-wang", message.StateKey);
    }

    [Fact]
    public void PersonalChat_NoMention_AddressedToBotWithTenantFromChannelData()
    {
        var message = Map("teams-personal.json");

        Assert.Equal("Hello Teams TestBot", message.Text);
        Assert.True(message.AddressedToBot);
        Assert.False(message.IsGroup);
        Assert.Equal("a:17I0kl9EkpE1O9PH5TWrzrLNwn", message.Conversation.ConversationId);
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", message.Conversation.TenantId);
        Assert.Null(message.ButtonValue);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void GroupMessage_OnlyOtherUserMentioned_NotAddressedAndNameKept()
    {
        var message = Map("teams-group-no-mention.json");

        Assert.False(message.AddressedToBot);
        Assert.True(message.IsGroup);
        Assert.Equal("张三 明天停水吗", message.Text);
        Assert.Equal("b28fdbfd-2b78-4f93-b0f8-8881793f0f8f", message.Conversation.TenantId);
    }

    [Fact]
    public void ConversationUpdate_BotAddedToChannel_MapsToBotAdded()
    {
        var message = Map("teams-bot-added.json");

        Assert.Equal(InboundKind.BotAdded, message.Kind);
        Assert.Equal("f:0b9079f4-2c6a-4d6e-9b9a-5d3b1c9a1e11", message.Id);
        Assert.True(message.IsGroup);
        Assert.Equal("19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", message.Conversation.ConversationId);
        Assert.Equal("b28fdbfd-2b78-4f93-b0f8-8881793f0f8f", message.Conversation.TenantId);
        Assert.Equal("", message.Text);
    }

    [Fact]
    public void ConversationUpdate_OtherMemberAdded_Ignored()
    {
        var activity = Load("teams-member-added.json");

        Assert.Null(ActivityMapper.FindProblem(activity));
        Assert.Null(ActivityMapper.ToInbound(activity, s_receivedAt));
    }

    [Fact]
    public void CardSubmit_ValueObject_ButtonValueAndAddressed()
    {
        var message = Map("teams-card-submit.json");

        Assert.Equal("ticket:T-2025-0042:sign", message.ButtonValue);
        Assert.True(message.AddressedToBot);
        Assert.Equal("", message.Text);
    }

    [Fact]
    public void CardSubmit_InGroupWithoutMention_StillAddressed()
    {
        var activity = Load("teams-card-submit.json");
        activity.Conversation!.ConversationType = "groupChat";

        var message = ActivityMapper.ToInbound(activity, s_receivedAt)!;

        Assert.True(message.IsGroup);
        Assert.True(message.AddressedToBot);
    }

    [Fact]
    public void Attachments_ImageAndFile_MappedAndCardsIgnored()
    {
        var message = Map("teams-attachment.json");

        Assert.Equal("楼道灯坏了", message.Text);
        Assert.Collection(message.Attachments,
            image =>
            {
                Assert.Equal("image/*", image.ContentType);
                Assert.Equal("https://smba.trafficmanager.net/apac/v3/attachments/0-abc/views/original", image.Url);
            },
            file =>
            {
                Assert.Equal("https://contoso.sharepoint.com/download/photo.jpg?tempauth=x", file.Url);
                Assert.Equal("photo.jpg", file.Name);
            });
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("messageReaction")]
    [InlineData("event")]
    [InlineData("installationUpdate")]
    public void OtherActivityTypes_AreIgnored(string type)
    {
        var activity = Load("teams-personal.json");
        activity.Type = type;

        Assert.Null(ActivityMapper.FindProblem(activity));
        Assert.Null(ActivityMapper.ToInbound(activity, s_receivedAt));
    }

    [Fact]
    public void Message_MissingId_IsAProblem()
    {
        var activity = Load("teams-personal.json");
        activity.Id = null;

        Assert.NotNull(ActivityMapper.FindProblem(activity));
        Assert.Null(ActivityMapper.ToInbound(activity, s_receivedAt));
    }

    [Fact]
    public void Activity_MissingType_IsAProblem()
    {
        var activity = Load("teams-personal.json");
        activity.Type = null;

        Assert.NotNull(ActivityMapper.FindProblem(activity));
    }

    [Theory]
    [InlineData("<at>小灵通</at> 物业电话多少", "物业电话多少")]
    [InlineData("<AT>小灵通</AT>\u3000物业电话多少", "物业电话多少")]
    [InlineData("物业电话多少 <at>小灵通</at>", "物业电话多少")]
    [InlineData("<at>@小灵通</at>物业电话多少", "物业电话多少")]
    [InlineData("<at>小灵通</at>&nbsp;<at>张三</at>你看", "张三 你看")]
    [InlineData("<at>小灵通</at>", "")]
    public void Mention_Variants_RemovedFromText(string text, string expected)
    {
        var activity = Load("teams-group-mention.json");
        activity.Text = text;

        var message = ActivityMapper.ToInbound(activity, s_receivedAt)!;

        Assert.Equal(expected, message.Text);
        Assert.True(message.AddressedToBot);
    }

    [Fact]
    public void Mention_EntityWithoutText_RemovedByName()
    {
        var activity = Load("teams-group-mention.json");
        activity.Entities![0].Properties.Remove("text");
        activity.Text = "<at>小灵通</at> 停电了";

        Assert.Equal("停电了", ActivityMapper.ToInbound(activity, s_receivedAt)!.Text);
    }

    [Fact]
    public void Message_MissingTimestamp_UsesReceivedTime()
    {
        var activity = Load("teams-personal.json");
        activity.Timestamp = null;

        Assert.Equal(s_receivedAt, ActivityMapper.ToInbound(activity, s_receivedAt)!.Timestamp);
    }

    [Fact]
    public void ToReply_PlainText_AddressesUserFromBot()
    {
        var to = Map("teams-group-mention.json").Conversation;

        var reply = ActivityMapper.ToReply(to, OutboundMessage.Plain("物业电话：0371-12345678"));

        Assert.Equal("message", reply.Type);
        Assert.Equal(to.BotId, reply.From!.Id);
        Assert.Equal("小灵通", reply.From.Name);
        Assert.Equal("29:1resident-wang", reply.Recipient!.Id);
        Assert.Equal("19:abc@thread.skype;messageid=1", reply.Conversation!.Id);
        Assert.Equal("1712345678901", reply.ReplyToId);
        Assert.Equal("plain", reply.TextFormat);
        Assert.Equal("物业电话：0371-12345678", reply.Text);
        Assert.Null(reply.Attachments);
    }

    [Fact]
    public void ToReply_Buttons_AddsAdaptiveCardWithSubmitActions()
    {
        var to = Map("teams-personal.json").Conversation;
        var message = new OutboundMessage
        {
            Title = "新工单 T-2025-0042",
            Text = "5号楼 噪音",
            Buttons = [new CardAction("签收", "ticket:T-2025-0042:sign"), new CardAction("转派", "ticket:T-2025-0042:transfer")],
        };

        var reply = ActivityMapper.ToReply(to, message);
        var json = Wire(reply);

        Assert.Equal("5号楼 噪音", json.GetProperty("text").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal("新工单 T-2025-0042", body[0].GetProperty("text").GetString());
        Assert.Equal("Bolder", body[0].GetProperty("weight").GetString());
        Assert.Equal("5号楼 噪音", body[1].GetProperty("text").GetString());
        Assert.True(body[1].GetProperty("wrap").GetBoolean());
        var actions = card.GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal(2, actions.Count);
        Assert.Equal("Action.Submit", actions[0].GetProperty("type").GetString());
        Assert.Equal("签收", actions[0].GetProperty("title").GetString());
        var data = actions[0].GetProperty("data");
        Assert.Equal("button", data.GetProperty("action").GetString());
        Assert.Equal("ticket:T-2025-0042:sign", data.GetProperty("value").GetString());
        Assert.Equal("messageBack", data.GetProperty("msteams").GetProperty("type").GetString());
        Assert.Equal("签收", data.GetProperty("msteams").GetProperty("displayText").GetString());
        Assert.False(json.TryGetProperty("id", out _)); // bots do not set ids on what they send (A2030)
    }

    [Fact]
    public void ToReply_APhoto_GoesAsAMediaAttachmentBesideTheText()
    {
        var to = Map("teams-group-mention.json").Conversation;
        var message = OutboundMessage.Plain("已办结") with
        {
            Attachments = [new OutboundAttachment("image/png", "https://files.example.org/a.png", "a.png"), new OutboundAttachment("image", "javascript:alert(1)")],
        };

        var json = Wire(ActivityMapper.ToReply(to, message));

        Assert.Equal("已办结", json.GetProperty("text").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray()); // the javascript: address is never sent
        Assert.Equal("image/png", attachment.GetProperty("contentType").GetString());
        Assert.Equal("https://files.example.org/a.png", attachment.GetProperty("contentUrl").GetString());
        Assert.Equal("a.png", attachment.GetProperty("name").GetString());
    }

    [Fact]
    public void ToReply_APhotoWithButtonsInAGroup_TheCardFirstThenTheImage()
    {
        var to = Map("teams-group-mention.json").Conversation;
        var message = OutboundMessage.WithButtons("问题解决了吗？", [new CardAction("已解决", "是")]) with
        {
            Attachments = [new OutboundAttachment("image", "https://files.example.org/a.jpg")],
        };

        var attachments = Wire(ActivityMapper.ToReply(to, message)).GetProperty("attachments").EnumerateArray().ToList();

        Assert.Equal(2, attachments.Count);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachments[0].GetProperty("contentType").GetString());
        Assert.Equal(OutboundAttachment.DefaultImageType, attachments[1].GetProperty("contentType").GetString()); // "image" alone is no media type
        Assert.Equal("https://files.example.org/a.jpg", attachments[1].GetProperty("contentUrl").GetString());
    }

    [Fact]
    public void ToReply_CardSubmitRoundTrip_ButtonValueComesBack()
    {
        var to = Map("teams-personal.json").Conversation;
        var reply = ActivityMapper.ToReply(to, OutboundMessage.WithButtons("是否已解决？", [new CardAction("已解决", "feedback:fixed")]));
        var data = Wire(reply).GetProperty("attachments")[0].GetProperty("content").GetProperty("actions")[0].GetProperty("data");

        var submit = Load("teams-card-submit.json");
        submit.Value = JObject.Parse(data.GetRawText());

        Assert.Equal("feedback:fixed", ActivityMapper.ToInbound(submit, s_receivedAt)!.ButtonValue);
    }

    [Fact]
    public void ToReply_ChoicesInAWebChatPrivateChat_AreSuggestedActionsThatComeBackAsTheButtonValue()
    {
        var to = Map("teams-personal.json").Conversation with { Channel = "webchat" };

        var reply = ActivityMapper.ToReply(to, OutboundMessage.WithButtons("您是想问：", [new CardAction("物业费怎么交", "faq:fee"), new CardAction("都不是", "faq:none")]));

        Assert.Null(reply.Attachments);
        var json = Wire(reply);
        var actions = json.GetProperty("suggestedActions").GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal(["物业费怎么交", "都不是"], actions.Select(a => a.GetProperty("title").GetString()));
        Assert.All(actions, a => Assert.Equal("messageBack", a.GetProperty("type").GetString()));
        Assert.Equal("物业费怎么交", actions[0].GetProperty("displayText").GetString());

        // Web Chat sends a messageBack as a message with the action's value and no text.
        var press = Load("teams-personal.json");
        press.ChannelId = "webchat";
        press.Text = "";
        press.Value = JObject.Parse(actions[0].GetProperty("value").GetRawText());
        Assert.Equal("faq:fee", ActivityMapper.ToInbound(press, s_receivedAt)!.ButtonValue);
    }

    [Theory]
    [InlineData("webchat", true, null)]        // a group: the card stays with its message
    [InlineData("webchat", false, "新工单")]   // a titled card (a worker's ticket)
    [InlineData("msteams", false, null)]       // Teams' suggested actions are imBack only, at most three
    public void ToReply_ButtonsElsewhere_AreAnAdaptiveCard(string channel, bool group, string? title)
    {
        var to = Map("teams-personal.json").Conversation with { Channel = channel, IsGroup = group };
        var message = OutboundMessage.WithButtons("选一个", [new CardAction("是", "是")]) with { Title = title };

        var reply = ActivityMapper.ToReply(to, message);

        Assert.Null(reply.SuggestedActions);
        Assert.Equal(ActivityMapper.AdaptiveCardContentType, Assert.Single(reply.Attachments).ContentType);
    }

    [Fact]
    public void ToContinuation_StartsFromTheUserToTheBot_AndThreadsUnderTheMessage()
    {
        var to = Map("teams-group-mention.json").Conversation;

        var continuation = ActivityMapper.ToContinuation(to);

        Assert.Equal(ActivityTypes.Event, continuation.Type);
        Assert.Equal(ActivityEventNames.ContinueConversation, continuation.Name);
        Assert.Equal("1712345678901", continuation.Id);
        Assert.Equal("29:1resident-wang", continuation.From.Id);
        Assert.Equal(to.BotId, continuation.Recipient.Id);
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", continuation.Conversation.TenantId);
        Assert.Equal(to.ServiceUrl, continuation.ServiceUrl);
        // What a turn sends from it goes from the bot to the user, as a reply to the message.
        var reference = continuation.GetConversationReference();
        var reply = ((Activity)Activity.CreateMessageActivity()).ApplyConversationReference(reference);
        Assert.Equal(to.BotId, reply.From.Id);
        Assert.Equal("29:1resident-wang", reply.Recipient.Id);
        Assert.Equal("1712345678901", reply.ReplyToId);
    }

    [Fact]
    public void ToContinuation_NoReplyToId_SendsToTheConversation()
    {
        var to = Map("teams-group-mention.json").Conversation with { ReplyToId = null };

        var reply = ((Activity)Activity.CreateMessageActivity()).ApplyConversationReference(ActivityMapper.ToContinuation(to).GetConversationReference());

        Assert.Null(reply.ReplyToId);
    }

    [Theory]
    [InlineData("""{"type":"message","id":"1","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/apac/","conversation":{"id":"c"},"from":{"id":"u"},"recipient":{"id":"b"},"text":"","value":{"value":5}}""")]
    [InlineData("""{"type":"message","id":"1","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/apac/","conversation":{"id":"c"},"from":{"id":"u"},"recipient":{"id":"b"},"text":"hi","entities":[{"type":"mention","mentioned":"b"},{"type":"mention","mentioned":{"id":["b"]}},{"type":"mention"}],"channelData":["tenant"],"attachments":[{"contentType":"application/vnd.microsoft.teams.file.download.info","content":"x"}]}""")]
    [InlineData("""{"type":"message","id":"1","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/apac/","conversation":{"id":"c"},"from":{"id":"u"},"recipient":{"id":"b"},"text":"hi","channelData":{"tenant":{"id":{"x":1}}},"value":[1]}""")]
    public void OddShapes_InValueEntitiesChannelDataOrAttachments_AreIgnoredNotThrown(string json)
    {
        var activity = Parse(json);

        Assert.Null(ActivityMapper.FindProblem(activity));
        var message = ActivityMapper.ToInbound(activity, s_receivedAt)!;

        Assert.Null(message.ButtonValue);
        Assert.Null(message.Conversation.TenantId);
    }
}
