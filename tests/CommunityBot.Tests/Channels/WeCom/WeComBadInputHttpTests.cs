using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Channels.WeCom;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Channels.WeCom;

/// <summary>Signed but hostile callbacks: each a 400 problem with nothing stored, never a 500.</summary>
public sealed class WeComBadInputHttpTests : IDisposable
{
    private const string Token = "QDG6eK";
    private const string Key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    private readonly FakeWeComHandler _wecom = new();
    private readonly BotApplication _app;
    private readonly HttpClient _client;
    private readonly WeComCrypto _crypto = new(Token, Key, "");

    public WeComBadInputHttpTests()
    {
        _app = new BotApplication(new Dictionary<string, string?>
        {
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = Key,
        })
        {
            WeComHandler = _wecom,
        };
        _client = _app.CreateClient();
        _app.UseTestKnowledgeBase();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Callback_EncryptIsALoneSurrogate_400()
    {
        // Signed over the string as sent; the JSON escape decodes to a lone high surrogate.
        var response = await PostAsync("\ud800", body: "{\"encrypt\":\"\\ud800\"}");

        await AssertRefusedAsync(response);
    }

    public static TheoryData<string> HostilePlaintexts => new()
    {
        Callback(c => c["msgid"] = new string('m', 1100)),
        Callback(c => c["msgid"] = new string('号', 200)),
        Callback(c => c["chatid"] = new string('c', 1100)),
        Callback(c => c["aibotid"] = new string('a', 1100)),
        Callback(c => c["from"]!["userid"] = new string('u', 1100)),
        Callback(c => c["response_url"] = "https://qyapi.weixin.qq.com/" + new string('r', 3000)),
        Callback(c => c["aibotid"] = new JsonArray(1, 2)),
        Callback(c => c["text"] = "物业电话多少"),
        Callback(c => c["text"]!["content"] = new JsonObject { ["a"] = 1 }),
        Callback(c => c["create_time"] = "yesterday"),
        Callback(c => c["create_time"] = 99999999999999),
        Callback(c => c["create_time"] = -1),
        Callback(c => c["msgtype"] = "mixed", c => c["mixed"] = "text"),
        "{\"msgid\":\"\\udc00\",\"msgtype\":\"text\",\"from\":{\"userid\":\"u\"},\"text\":{\"content\":\"hi\"}}",
    };

    [Theory]
    [MemberData(nameof(HostilePlaintexts))]
    public async Task Callback_SignedWithHostileContent_400AndNothingStored(string plaintext)
    {
        var response = await PostAsync(_crypto.Encrypt(Encoding.UTF8.GetBytes(plaintext)));

        await AssertRefusedAsync(response);
    }

    [Fact]
    public void TryMap_TextFarOverTheLimit_CutToJustOverIt()
    {
        var plaintext = Callback(c => c["text"]!["content"] = "@小灵通 " + new string('长', 5000));

        Assert.True(WeComMessageMapper.TryMap(Encoding.UTF8.GetBytes(plaintext), "小灵通", _app.Time.GetUtcNow(), out var message, out _, maxTextLength: 2000));

        Assert.Equal(2001, message!.Text.Length);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Empty(_wecom.Calls);
        foreach (var collection in (string[])["processed_messages", "bot_state", "outbox", "chat_groups"])
        {
            Assert.Equal(0, _app.Database.GetCollection(collection).Count());
        }
    }

    private static string Callback(params Action<JsonObject>[] changes)
    {
        var callback = new JsonObject
        {
            ["msgid"] = "MSG-HOSTILE",
            ["aibotid"] = "AIBOTID",
            ["chatid"] = "wrkSFfCgAAxxxx",
            ["chattype"] = "group",
            ["from"] = new JsonObject { ["userid"] = "zhangsan" },
            ["response_url"] = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1",
            ["msgtype"] = "text",
            ["text"] = new JsonObject { ["content"] = "@小灵通 物业电话多少" },
        };
        foreach (var change in changes)
        {
            change(callback);
        }

        return callback.ToJsonString();
    }

    private Task<HttpResponseMessage> PostAsync(string encrypt, string? body = null)
    {
        var timestamp = _app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        const string nonce = "1234567890";
        var signature = _crypto.Sign(timestamp, nonce, encrypt);
        return _client.PostAsync(
            $"/api/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}",
            new StringContent(body ?? new JsonObject { ["encrypt"] = encrypt }.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
