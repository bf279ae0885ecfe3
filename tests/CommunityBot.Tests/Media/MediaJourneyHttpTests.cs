using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Channels.WebChat;
using CommunityBot.Directory;
using CommunityBot.Media;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Media;

/// <summary>
/// Issue 15 follow-up, through the real host: a photo crosses channels as our own signed link, never as the channel's
/// address. A Teams resident's photo (on Teams' attachment service, which wants the bot's token) reaches the worker and
/// the console; a Teams worker's 办结 photo reaches a resident in the local chat; a photo that cannot be fetched is
/// reported to the worker as not saved.
/// </summary>
public sealed class MediaJourneyHttpTests : IDisposable
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    private const string GroupActivities = ServiceUrl + "v3/conversations/19%3Aabc%40thread.skype%3Bmessageid%3D1/activities";
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string WangFangTeamsId = "29:1worker-wangfang";
    private const string ResidentPhoto = ServiceUrl + "v3/attachments/0-resident/views/original";
    private const string ClosingPhoto = ServiceUrl + "v3/attachments/0-closing/views/original";
    private const string Bearer = "Bearer " + FakeCredentialsFactory.DefaultToken;

    private readonly BotApplication _app;
    private readonly HttpClient _client;
    private int _activityIds;

    public MediaJourneyHttpTests()
    {
        _app = new BotApplication
        {
            // The bot's token, so that the test sees which requests carry it.
            ExtraServices = services =>
            {
                services.RemoveAll<ServiceClientCredentialsFactory>();
                services.AddSingleton<ServiceClientCredentialsFactory>(new FakeCredentialsFactory());
            },
        };
        _client = Client(_app);
        CreateAccounts(_app);
        MoveToOfficeHours(_app); // Tuesday 10:00: 王芳 is on duty for 幸福里
        GiveWangFangATeamsId();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task TeamsResident_FilesWithAPhoto_WorkerAndConsoleGetOurLink_AndTheBytesComeBack()
    {
        _app.Photos.Serve(ResidentPhoto, TestImages.Png, "image/png");
        var number = await FileLampInTeamsGroupWithPhotoAsync(ResidentPhoto);

        var ticket = Tickets.Find(number)!;
        var id = MediaRef.IdOf(Assert.Single(ticket.Photos))!;
        Assert.Equal(ResidentPhoto, Media.Find(id)!.Source);
        Assert.Empty(_app.Photos.Requests); // nothing fetched inside the resident's turn
        var card = Assert.Single(WorkerCalls()); // the ticket's card, without the photo
        Assert.Equal("application/vnd.microsoft.card.adaptive", Assert.Single(card.Body!["attachments"]!.AsArray())!["contentType"]!.GetValue<string>());

        Assert.Equal(1, await _app.FetchMediaAsync());

        // Fetched once, with the bot's token, from the conversation's own service host.
        Assert.Equal((ResidentPhoto, Bearer), Assert.Single(_app.Photos.Requests) is var r ? (r.Url, r.Authorization) : default);
        var shown = WorkerCalls().Last();
        Assert.Equal(2, WorkerCalls().Count);
        Assert.Equal($"工单 {number} 居民发来的现场照片（1张）：", shown.Text);
        var photo = Assert.Single(shown.Body!["attachments"]!.AsArray())!;
        var link = photo["contentUrl"]!.GetValue<string>();
        Assert.True(PhotoLinks.IsOurs(link, BotApplication.PublicBaseUrl), link);
        Assert.Equal("image/png", photo["contentType"]!.GetValue<string>());
        Assert.Equal(TestImages.Png, await _client.GetByteArrayAsync(link[BotApplication.PublicBaseUrl.Length..]));

        await LoginAsync(_client, WangFang);
        var page = await _client.GetStringAsync("/admin/tickets/" + number);
        Assert.Equal(TestImages.Png, await _client.GetByteArrayAsync(Assert.Single(PhotoLinks.ImagesOn(page))));

        // The Teams address went nowhere but to the fetch.
        Assert.DoesNotContain(_app.Connector.Calls, c => c.Body?.ToJsonString().Contains("0-resident", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("0-resident", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsWorker_ClosesWithAPhoto_LocalChatResidentGetsOurLinkNotTheTeamsAddress()
    {
        _app.Photos.Serve(ClosingPhoto, TestImages.Jpeg);
        var number = await FileTicketAsync(_app); // 张阿姨 in the local chat's demo group, assigned to 王芳

        await PostActivityAsync(WorkerActivity(value: $"tk:{number}:Close"));
        Assert.StartsWith("请填写办结说明", _app.Connector.Calls[^1].Text, StringComparison.Ordinal);
        var note = WorkerActivity(text: "已约谈烧烤店，晚十点后停业");
        note["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "image/*", ["contentUrl"] = ClosingPhoto });
        await PostActivityAsync(note);
        Assert.StartsWith($"工单 {number} 已办结", _app.Connector.Calls[^1].Text, StringComparison.Ordinal);

        var question = (await ResidentMessagesAsync()).Last();
        Assert.StartsWith($"您反映的问题（工单 {number}）已办结：已约谈烧烤店", question.Text, StringComparison.Ordinal);
        Assert.Empty(question.Images);

        await _app.FetchMediaAsync();

        Assert.Equal(Bearer, Assert.Single(_app.Photos.Requests).Authorization);
        var messages = await ResidentMessagesAsync();
        var follow = messages.Last();
        Assert.Equal($"工单 {number} 的办结照片：", follow.Text);
        var link = Assert.Single(follow.Images).Url;
        Assert.True(PhotoLinks.IsOurs(link, BotApplication.PublicBaseUrl), link);
        Assert.Equal(TestImages.Jpeg, await _client.GetByteArrayAsync(link[BotApplication.PublicBaseUrl.Length..]));
        Assert.DoesNotContain(messages, m => m.Images.Any(i => i.Url.Contains("smba", StringComparison.Ordinal)) || m.Text.Contains("smba", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TeamsResidentsPhotoThatCannotBeFetched_RetriedThenWorkerToldItWasNotSaved_ConsoleSaysSo()
    {
        _app.Photos.Fail(ResidentPhoto, HttpStatusCode.NotFound);
        var number = await FileLampInTeamsGroupWithPhotoAsync(ResidentPhoto);
        var card = Assert.Single(WorkerCalls());

        // Four attempts, 30 s, 1 min and 2 min apart (Media:MaxAttempts, Media:RetryDelay); silence until the last fails.
        var wait = new MediaOptions().RetryDelay;
        foreach (var step in new[] { 0, 1, 2, 4 })
        {
            _app.Time.Advance(wait * step);
            await _app.FetchMediaAsync();
            if (step < 4)
            {
                Assert.Same(card, Assert.Single(WorkerCalls()));
            }
        }

        Assert.Equal(4, _app.Photos.Requests.Count);
        var told = WorkerCalls().Last();
        Assert.Equal($"工单 {number}：居民发来的1张照片未能保存，如需照片请联系居民。", told.Text);
        Assert.Null(told.Body!["attachments"]);
        await LoginAsync(_client, WangFang);
        var page = await _client.GetStringAsync("/admin/tickets/" + number);
        Assert.Contains("现场照片1未能保存", page, StringComparison.Ordinal);
        Assert.Empty(PhotoLinks.ImagesOn(page));
    }

    private TicketStore Tickets => _app.Services.GetRequiredService<TicketStore>();
    private MediaStore Media => _app.Services.GetRequiredService<MediaStore>();

    /// <summary>Calls to 王芳's 1:1 conversation with the bot (the Connector made it: its id is the reply to the create call).</summary>
    private List<ConnectorCall> WorkerCalls() =>
        _app.Connector.Calls.Where(c => c.Body?["recipient"]?["id"]?.GetValue<string>() == WangFangTeamsId && c.Uri.AbsolutePath.EndsWith("/activities", StringComparison.Ordinal)).ToList();

    /// <summary>"投诉幸福里3号楼楼道灯坏了" in the Teams group, 市政管养, a photo at the photo step, 提交; the ticket number.</summary>
    private async Task<string> FileLampInTeamsGroupWithPhotoAsync(string photo)
    {
        await PostActivityAsync(GroupActivity("<at>小灵通</at>&nbsp;投诉幸福里3号楼楼道灯坏了"));
        await PostActivityAsync(GroupActivity("", ButtonValue(LastGroupReply(), "市政管养")));
        Assert.StartsWith("有现场照片", LastGroupReply().Text, StringComparison.Ordinal);
        var withPhoto = GroupActivity("<at>小灵通</at>");
        withPhoto["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "image/*", ["contentUrl"] = photo });
        await PostActivityAsync(withPhoto);
        Assert.Contains("照片：1张", LastGroupReply().Text, StringComparison.Ordinal);
        await PostActivityAsync(GroupActivity("", ButtonValue(LastGroupReply(), "提交")));
        var receipt = LastGroupReply().Text!;
        Assert.StartsWith("已登记，工单号 ", receipt, StringComparison.Ordinal);
        return receipt["已登记，工单号 ".Length..].Split('。')[0];
    }

    private ConnectorCall LastGroupReply() => _app.Connector.Calls.Last(c => c.Uri.AbsoluteUri.StartsWith(GroupActivities, StringComparison.Ordinal));

    private static string ButtonValue(ConnectorCall reply, string title) =>
        reply.Body!["attachments"]![0]!["content"]!["actions"]!.AsArray().Single(a => a!["title"]!.GetValue<string>() == title)!["data"]!["value"]!.GetValue<string>();

    private JsonNode GroupActivity(string text, string? buttonValue = null)
    {
        var activity = Payload("teams-group-mention.json");
        activity["id"] = NextId();
        activity["text"] = text;
        if (buttonValue is not null)
        {
            activity["value"] = new JsonObject { ["action"] = "button", ["value"] = buttonValue };
        }

        return activity;
    }

    /// <summary>王芳 in her 1:1 chat with the bot in Teams: a card button pressed, or a message typed.</summary>
    private JsonNode WorkerActivity(string? value = null, string text = "")
    {
        var activity = Payload("teams-card-submit.json");
        activity["id"] = NextId();
        activity["from"] = new JsonObject { ["id"] = WangFangTeamsId, ["name"] = "王芳" };
        activity["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = "a:1worker-wangfang-chat" };
        activity["text"] = text;
        if (value is null)
        {
            activity.AsObject().Remove("value");
        }
        else
        {
            activity["value"] = new JsonObject { ["action"] = "button", ["value"] = value };
        }

        return activity;
    }

    private async Task PostActivityAsync(JsonNode activity)
    {
        var response = await _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _app.DeliverAsync();
    }

    /// <summary>What 张阿姨 sees in the local chat's demo group, as the page reads it.</summary>
    private async Task<IReadOnlyList<WebChatEndpoints.MessageView>> ResidentMessagesAsync() =>
        (await _client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>($"/api/local/conversations/{WebChatDemo.GroupId}/messages?userId=zhang"))!
            .Messages.Where(m => m.From == "bot").ToList();

    private void GiveWangFangATeamsId()
    {
        var directory = _app.Services.GetRequiredService<GridDirectory>();
        var data = directory.Current.Data;
        directory.Replace(data with { Workers = data.Workers.Select(w => w.Id == "w-wangfang" ? w with { TeamsUserId = WangFangTeamsId } : w).ToList() });
    }

    private string NextId() => "17123456790" + Interlocked.Increment(ref _activityIds).ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonNode Payload(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name)))!;
}
