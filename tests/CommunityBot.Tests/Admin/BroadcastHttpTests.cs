using System.Net;
using System.Net.Http.Json;
using CommunityBot.Broadcasts;
using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>Broadcasts and group assignment in the console: who may send where, validation, delivery through the outbox.</summary>
public sealed class BroadcastHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public BroadcastHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private GroupRegistry Groups => _app.Services.GetRequiredService<GroupRegistry>();

    private IReadOnlyList<OutboxMessage> Outbox => _app.Services.GetRequiredService<Outbox>().All();

    [Fact]
    public async Task Broadcast_AdminToTwoGroups_QueuesOneMessageEachDeliversAndCounts()
    {
        // Two groups become known the ordinary way: a resident talks to the assistant there.
        await AskAsync(_app, _client, "物业电话多少", "owners-1");
        await AskAsync(_app, _client, "物业电话多少", "owners-2");
        await AskAsync(_app, _client, "物业电话多少", "owners-3");
        await LoginAsync(_client, Boss);
        List<KeyValuePair<string, string>> form = [new("text", "明天上午9点至12点停水，请提前储水。"), new("group", "local/owners-1"), new("group", "local/owners-2")];

        var confirm = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/confirm", [.. form]);
        var confirmPage = await confirm.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("<strong id=\"group-count\">2</strong>", confirmPage);
        Assert.Empty(Outbox); // confirming sends nothing

        var sent = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/send", [.. form]);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var queued = Outbox;
        Assert.Equal(2, queued.Count);
        Assert.All(queued, m => Assert.NotNull(m.BroadcastId));
        Assert.Equal(["local/owners-1", "local/owners-2"], queued.Select(m => m.ConversationKey).Order());
        Assert.Contains("<td data-label=\"待发送\">2</td>", await _client.GetStringAsync("/admin/broadcasts"));

        await _app.DeliverAsync();

        var history = await _client.GetStringAsync("/admin/broadcasts");
        Assert.Contains("<td data-label=\"已送达\">2</td>", history);
        Assert.Contains("<td data-label=\"待发送\">0</td>", history);
        Assert.Contains(">boss<", history);
        Assert.Equal("明天上午9点至12点停水，请提前储水。", await LastBotMessageAsync("owners-1"));
        Assert.Equal("明天上午9点至12点停水，请提前储水。", await LastBotMessageAsync("owners-2"));
        Assert.NotEqual("明天上午9点至12点停水，请提前储水。", await LastBotMessageAsync("owners-3"));
    }

    [Theory]
    [InlineData("", "请填写通知内容")]
    [InlineData("TOO_LONG", "不能超过 1000 字")]
    public async Task Broadcast_BadText_Returns400KeepsTheFormAndQueuesNothing(string text, string error)
    {
        await RecordGroupAsync("owners-1", null);
        await LoginAsync(_client, Boss);
        text = text == "TOO_LONG" ? new string('通', BroadcastService.MaxLength + 1) : text;

        var response = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/send", [new("text", text), new("group", "local/owners-1")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(error, page);
        Assert.Contains("value=\"local/owners-1\" checked", page); // the choice is kept
        Assert.Empty(Outbox);
        Assert.Empty(_app.Services.GetRequiredService<BroadcastService>().Recent(10));
    }

    [Fact]
    public async Task Broadcast_NoGroupChosen_Returns400()
    {
        await LoginAsync(_client, Boss);

        var response = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/send", [new("text", "通知")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请至少选择一个群", await response.Content.ReadAsStringAsync());
        Assert.Empty(Outbox);
    }

    [Fact]
    public async Task Broadcast_CommunityStaff_SeesAndReachesOnlyTheirCommunitysGroups()
    {
        await RecordGroupAsync("liuan-owners", "FH-02");
        await RecordGroupAsync("xingfuli-owners", "FH-01");
        await LoginAsync(_client, LiuAn);

        var compose = await (await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/new", [new("all", "1")])).Content.ReadAsStringAsync();
        Assert.Contains("value=\"local/liuan-owners\" checked", compose);
        Assert.DoesNotContain("xingfuli-owners", compose);

        var refused = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/send",
            [new("text", "通知"), new("group", "local/liuan-owners"), new("group", "local/xingfuli-owners")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("不在您可以发送的范围内", await refused.Content.ReadAsStringAsync());
        Assert.Empty(Outbox);

        var sent = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/send", [new("text", "通知"), new("group", "local/liuan-owners")]);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("local/liuan-owners", Assert.Single(Outbox).ConversationKey);
    }

    [Fact]
    public async Task Compose_FilterByCommunity_ListsOnlyThatCommunitysGroups()
    {
        await RecordGroupAsync("liuan-owners", "FH-02");
        await RecordGroupAsync("xingfuli-owners", "FH-01");
        await LoginAsync(_client, Boss);

        var response = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/new", [new("community", "FH-01"), new("all", "1"), new("text", "abc")]);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("value=\"local/xingfuli-owners\" checked", page);
        Assert.DoesNotContain("liuan-owners", page);
        Assert.Contains(">abc</textarea>", page);
    }

    [Fact]
    public async Task Compose_FilterSelectAllAndBack_PostSoNoDraftOrTokenGoesIntoTheUrl()
    {
        await RecordGroupAsync("owners-1", null);
        await RecordGroupAsync("owners-2", null);
        await LoginAsync(_client, Boss);

        var compose = await _client.GetStringAsync("/admin/broadcasts/new?text=secret&group=local/owners-1");
        Assert.DoesNotContain("formmethod=\"get\"", compose);
        Assert.DoesNotContain("secret", compose); // a draft is never read from the URL
        Assert.DoesNotContain("value=\"local/owners-1\" checked", compose);

        var confirm = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/confirm",
            [new("text", "周六上午 <b>消防演练</b>"), new("group", "local/owners-2")]);
        var confirmPage = await confirm.Content.ReadAsStringAsync();
        Assert.DoesNotContain("formmethod=\"get\"", confirmPage);

        // 返回修改 posts the confirm form's hidden fields back to the compose page: text and choice are kept.
        var back = await _client.PostAsync("/admin/broadcasts/new", new FormUrlEncodedContent(HiddenFields(confirmPage, "broadcast-confirm")));
        var page = await back.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Contains(">周六上午 &lt;b&gt;消防演练&lt;/b&gt;</textarea>", page);
        Assert.Contains("value=\"local/owners-2\" checked", page);
        Assert.DoesNotContain("value=\"local/owners-1\" checked", page);
        Assert.Empty(Outbox);
    }

    [Fact]
    public async Task Compose_PostWithoutAntiforgeryToken_Returns400()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.PostAsync("/admin/broadcasts/new", new FormUrlEncodedContent([new("text", "通知"), new("all", "1")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Send_SameConfirmFormTwice_SendsOnceAndShowsTheFirstBroadcast()
    {
        await RecordGroupAsync("owners-1", null);
        await RecordGroupAsync("owners-2", null);
        await LoginAsync(_client, Boss);
        var confirm = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/confirm",
            [new("text", "今晚8点停电检修"), new("group", "local/owners-1"), new("group", "local/owners-2")]);
        var fields = HiddenFields(await confirm.Content.ReadAsStringAsync(), "broadcast-confirm");
        Assert.Contains(fields, f => f.Key == "request" && f.Value.Length == 32);

        var first = await _client.PostAsync("/admin/broadcasts/send", new FormUrlEncodedContent(fields));
        var second = await _client.PostAsync("/admin/broadcasts/send", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var sent = Assert.Single(_app.Services.GetRequiredService<BroadcastService>().Recent(10));
        Assert.Equal(2, Outbox.Count);
        Assert.Equal($"/admin/broadcasts?sent={sent.Id}", first.Headers.Location!.OriginalString);
        Assert.Equal($"/admin/broadcasts?sent={sent.Id}&again=1", second.Headers.Location!.OriginalString);
        Assert.Contains($"这条通知已经发送过（{sent.Id}），没有重复发送。", await _client.GetStringAsync(second.Headers.Location.OriginalString));

        // A new confirm form (a new id) is a new broadcast, even with the same text.
        var again = await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/confirm",
            [new("text", "今晚8点停电检修"), new("group", "local/owners-1")]);
        await _client.PostAsync("/admin/broadcasts/send", new FormUrlEncodedContent(HiddenFields(await again.Content.ReadAsStringAsync(), "broadcast-confirm")));
        Assert.Equal(2, _app.Services.GetRequiredService<BroadcastService>().Recent(10).Count);
        Assert.Equal(3, Outbox.Count);
    }

    [Fact]
    public async Task History_CommunityStaff_CountOnlyTheirOwnGroups()
    {
        await RecordGroupAsync("liuan-owners", "FH-02");
        await RecordGroupAsync("xingfuli-owners", "FH-01");
        await RecordGroupAsync("xingfuli-tenants", "FH-01");
        await LoginAsync(_client, Boss);
        await PostFieldsAsync(_client, "/admin/broadcasts/new", "/admin/broadcasts/send",
            [new("text", "全街道通知"), new("group", "local/liuan-owners"), new("group", "local/xingfuli-owners"), new("group", "local/xingfuli-tenants")]);
        var all = await _client.GetStringAsync("/admin/broadcasts");
        Assert.Contains("<td data-label=\"群数\">3</td>", all);
        Assert.Contains("<td data-label=\"待发送\">3</td>", all);

        using var liuAn = Client(_app);
        await LoginAsync(liuAn, LiuAn);
        var own = await liuAn.GetStringAsync("/admin/broadcasts");

        Assert.Contains("全街道通知", own);
        Assert.Contains("<td data-label=\"群数\">1</td>", own);
        Assert.Contains("<td data-label=\"待发送\">1</td>", own);
        Assert.Contains("<td data-label=\"已送达\">0</td>", own);
    }

    [Theory]
    [InlineData("/admin/broadcasts")]
    [InlineData("/admin/broadcasts/new")]
    [InlineData("/admin/groups")]
    public async Task BroadcastPages_Worker_Returns403(string path)
    {
        await LoginAsync(_client, WangFang);

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Send_WithoutAntiforgeryToken_Returns400AndQueuesNothing()
    {
        await RecordGroupAsync("owners-1", null);
        await LoginAsync(_client, Boss);

        var response = await _client.PostAsync("/admin/broadcasts/send", new FormUrlEncodedContent([new("text", "通知"), new("group", "local/owners-1")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Outbox);
    }

    [Fact]
    public async Task AssignGroup_Admin_SetsNameCommunityAndCompound()
    {
        await RecordGroupAsync("owners-1", null);
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/groups", "/admin/groups/assign",
            new() { ["key"] = "local/owners-1", ["name"] = "幸福里业主群", ["community"] = "FH-01", ["compound"] = "xingfuli" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var group = Groups.Find("local/owners-1")!;
        Assert.Equal(("幸福里业主群", "FH-01", "xingfuli"), (group.Name, group.CommunityId, group.CompoundId));
    }

    [Fact]
    public async Task AssignGroup_CompoundOfAnotherCommunity_Returns400AndChangesNothing()
    {
        await RecordGroupAsync("owners-1", "FH-02");
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/groups", "/admin/groups/assign",
            new() { ["key"] = "local/owners-1", ["name"] = "x", ["community"] = "FH-02", ["compound"] = "xingfuli" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("不属于所选社区", await response.Content.ReadAsStringAsync());
        var group = Groups.Find("local/owners-1")!;
        Assert.Equal((null, "FH-02", null), (group.Name, group.CommunityId, group.CompoundId));
    }

    [Fact]
    public async Task AssignGroup_CommunityStaff_Returns403()
    {
        await RecordGroupAsync("owners-1", "FH-02");
        await LoginAsync(_client, LiuAn);

        var response = await PostFormAsync(_client, "/admin/broadcasts/new", "/admin/groups/assign",
            new() { ["key"] = "local/owners-1", ["community"] = "FH-01" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FH-02", Groups.Find("local/owners-1")!.CommunityId);
    }

    private async Task RecordGroupAsync(string conversationId, string? communityId)
    {
        var reference = new ConversationReference { Channel = WebChatMapper.ChannelId, ConversationId = conversationId, IsGroup = true };
        await _app.Services.GetRequiredService<LiteDbWriter>().WriteAsync(_ =>
        {
            Groups.Record(reference, _app.Time.GetUtcNow());
            Groups.Assign(GroupRegistry.KeyOf(reference.Channel, conversationId), null, communityId, null);
        });
    }

    private async Task<string> LastBotMessageAsync(string conversationId)
    {
        var result = await _client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>($"/api/local/conversations/{conversationId}/messages?userId=li");
        return result!.Messages.Last(m => m.From == "bot").Text;
    }
}
