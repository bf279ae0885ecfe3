using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Channels.BotFramework;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>Over-long ids and texts on <c>/api/messages</c>: a 400 with nothing stored, never an index-key exception.</summary>
public sealed class ActivityBoundsHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public ActivityBoundsHttpTests()
    {
        _client = _app.CreateClient();
        _app.UseTestKnowledgeBase();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("id")]
    [InlineData("conversation.id")]
    [InlineData("conversation.tenantId")]
    [InlineData("channelData.tenant.id")]
    [InlineData("from.id")]
    [InlineData("recipient.id")]
    public async Task Activity_IdOverOneKilobyte_400AndNothingStored(string field)
    {
        var activity = Payload();
        Set(activity, field, new string('x', 1100));

        var response = await _client.PostAsync("/api/messages", Json(activity));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("\"value\":{\"value\":\"\\ud800\"},\"text\":\"\"")]
    [InlineData("\"channelData\":{\"tenant\":{\"id\":\"\\udfff\"}}")]
    public async Task Activity_LoneSurrogateInAJsonElement_400AndNothingStored(string member)
    {
        var activity = Payload();
        activity.AsObject().Remove("channelData");
        activity.AsObject().Remove("text");
        var json = activity.ToJsonString().TrimEnd('}') + "," + (member.Contains("text") ? member : member + ",\"text\":\"<at>小灵通</at> 物业电话多少\"") + "}";

        var response = await _client.PostAsync("/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNothingStored();
    }

    [Fact]
    public async Task Activity_IdOfMultiByteCharactersOverTheByteBound_400()
    {
        // 200 characters, 600 UTF-8 bytes: with the conversation and user ids it would pass LiteDB's 1,023-byte key.
        var activity = Payload();
        activity["conversation"]!["id"] = new string('群', 200);

        var response = await _client.PostAsync("/api/messages", Json(activity));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNothingStored();
    }

    [Fact]
    public async Task Activity_IdsAtTheBound_Answered()
    {
        var activity = Payload();
        activity["id"] = new string('m', 256);
        activity["conversation"]!["id"] = new string('c', 256);
        activity["from"]!["id"] = new string('u', 256);

        var response = await _client.PostAsync("/api/messages", Json(activity));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _app.DeliverAsync());
        Assert.Equal(DemoKnowledgeBase.PropertyPhoneAnswer, Assert.Single(_app.Connector.Calls).Text);
    }

    [Fact]
    public async Task TurnPipeline_OverLongIdsFromAnyCaller_StoredUnderABoundedKeyAndDeduplicated()
    {
        // The endpoints refuse such ids; the pipeline must still not fail on one that comes another way.
        var turns = _app.Services.GetRequiredService<ITurnProcessor>();
        var message = new InboundMessage
        {
            Id = new string('m', 2000),
            Conversation = new ConversationReference
            {
                Channel = "local",
                ConversationId = new string('c', 2000),
                UserId = new string('u', 2000),
                BotId = "local-bot",
            },
            Text = "物业电话多少",
            AddressedToBot = true,
            Timestamp = _app.Time.GetUtcNow(),
        };

        var first = await turns.ProcessAsync(message, CancellationToken.None);
        var again = await turns.ProcessAsync(message, CancellationToken.None);

        Assert.Equal(TurnOutcome.Processed, first);
        Assert.Equal(TurnOutcome.Duplicate, again);
        var key = Assert.Single(_app.Database.GetCollection("processed_messages").FindAll())["_id"].AsString;
        Assert.True(Encoding.UTF8.GetByteCount(key) < 1023, key);
    }

    [Fact]
    public void ToInbound_TextFarOverTheLimit_CutBeforeCleaningAndLeftOverTheLimit()
    {
        var activity = ActivityMapperTests.Parse(Payload().ToJsonString());
        activity.Text = "<at>小灵通</at> " + new string('长', 5000) + " <at>小灵通</at>";

        var inbound = ActivityMapper.ToInbound(activity, _app.Time.GetUtcNow(), maxTextLength: 2000)!;

        // Exactly one character over the limit, uncleaned: the pipeline asks the resident to shorten it.
        Assert.Equal(2001, inbound.Text.Length);
        Assert.StartsWith("<at>小灵通</at>", inbound.Text, StringComparison.Ordinal);
        Assert.True(inbound.AddressedToBot);
    }

    [Fact]
    public void ToInbound_TextJustOverTheLimitWithItsMention_CleanedAsUsual()
    {
        var activity = ActivityMapperTests.Parse(Payload().ToJsonString());
        activity.Text = "<at>小灵通</at> " + new string('字', 2000);

        var inbound = ActivityMapper.ToInbound(activity, _app.Time.GetUtcNow(), maxTextLength: 2000)!;

        Assert.Equal(new string('字', 2000), inbound.Text);
    }

    private void AssertNothingStored()
    {
        foreach (var collection in (string[])["processed_messages", "bot_state", "outbox", "chat_groups", "tickets"])
        {
            Assert.Equal(0, _app.Database.GetCollection(collection).Count());
        }

        Assert.Empty(_app.Connector.Calls);
    }

    private static void Set(JsonNode activity, string path, string value)
    {
        var parts = path.Split('.');
        var node = activity;
        foreach (var part in parts[..^1])
        {
            node = node[part] ??= new JsonObject();
        }

        node[parts[^1]] = value;
    }

    private static StringContent Json(JsonNode activity) => new(activity.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonNode Payload() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "teams-group-mention.json")))!;
}
