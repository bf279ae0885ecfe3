using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CommunityBot.Admin;
using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Admin;

/// <summary>Accounts, sign-in, form posts with the page's antiforgery token, and a ticket filed through the real desk.</summary>
public static partial class AdminTestKit
{
    public const string Password = "correct-horse-1";

    /// <summary>Street-office admin acting as the demo directory's street staff member 马军.</summary>
    public const string Boss = "boss";
    /// <summary>Grid worker 王芳 of 丰和里社区 (幸福里 1–6号楼).</summary>
    public const string WangFang = "wangfang";
    /// <summary>Community staff of 柳岸社区 (FH-02), another community.</summary>
    public const string LiuAn = "liuan";

    public static void CreateAccounts(BotApplication app)
    {
        var users = app.Services.GetRequiredService<AdminUserStore>();
        users.Save(new AdminUser { Name = Boss, Role = AdminRole.Admin, WorkerId = "w-majun" }, Password);
        users.Save(new AdminUser { Name = WangFang, Role = AdminRole.Worker, WorkerId = "w-wangfang", CommunityId = "FH-01" }, Password);
        users.Save(new AdminUser { Name = LiuAn, Role = AdminRole.Community, CommunityId = "FH-02", WorkerId = "w-fengxia" }, Password);
    }

    public static HttpClient Client(BotApplication app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A browser at the client address <paramref name="address"/>, with its own cookies.</summary>
    public static HttpClient Client(BotApplication app, string address)
    {
        var client = Client(app);
        client.DefaultRequestHeaders.Add(BotApplication.ClientAddressHeader, address);
        return client;
    }

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password = Password) =>
        await PostFormAsync(client, "/admin/login", "/admin/login", new() { ["name"] = name, ["password"] = password });

    /// <summary>Opens <paramref name="page"/>, takes its antiforgery token and posts <paramref name="fields"/> with it to <paramref name="action"/>.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields) =>
        PostFieldsAsync(client, page, action, fields.ToList());

    /// <summary>As above, with repeated fields (checkboxes of the same name).</summary>
    public static async Task<HttpResponseMessage> PostFieldsAsync(HttpClient client, string page, string action, List<KeyValuePair<string, string>> fields)
    {
        using var opened = await client.GetAsync(page);
        var html = await opened.Content.ReadAsStringAsync();
        Assert.True(opened.IsSuccessStatusCode, $"GET {page}: {(int)opened.StatusCode} {html[..Math.Min(html.Length, 3000)]}");
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, "the page has an antiforgery field");
        fields.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>Opens <paramref name="page"/> for its antiforgery token and uploads <paramref name="content"/> as the form's <c>file</c> to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostFileAsync(
        HttpClient client, string page, string action, string fileName, byte[] content, Dictionary<string, string>? fields = null)
    {
        using var opened = await client.GetAsync(page);
        var html = await opened.Content.ReadAsStringAsync();
        Assert.True(opened.IsSuccessStatusCode, $"GET {page}: {(int)opened.StatusCode}");
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, "the page has an antiforgery field");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "file", fileName },
        };
        foreach (var (name, value) in fields ?? [])
        {
            form.Add(new StringContent(value), name);
        }

        return await client.PostAsync(action, form);
    }

    /// <summary>Tuesday 24 November 2026, 10:00 in Zhengzhou: 王芳 is on duty for 幸福里 buildings 1–6.</summary>
    public static void MoveToOfficeHours(BotApplication app) => app.Time.Advance(TimeSpan.FromHours(14));

    /// <summary>A noise complaint at 幸福里小区5号楼 filed from the local chat's demo group; returns its number.</summary>
    public static async Task<string> FileTicketAsync(BotApplication app)
    {
        var desk = app.Services.GetRequiredService<TicketDesk>();
        var receipt = await desk.FileAsync(
            new GrievanceReport
            {
                Reporter = new ConversationReference
                {
                    Channel = WebChatMapper.ChannelId, ConversationId = "demo-group", IsGroup = true, UserId = "zhang", UserName = "张阿姨",
                },
                Category = "环境保护",
                Description = "5号楼楼下烧烤店天天半夜吵得睡不着",
                CompoundId = "xingfuli",
                CompoundName = "幸福里小区",
                Building = "5",
                Phone = "13812345678",
            },
            app.Time.GetUtcNow(),
            CancellationToken.None);
        return receipt.Number;
    }

    /// <summary>Asks the assistant in the local chat's demo group and returns its reply.</summary>
    public static async Task<string> AskAsync(BotApplication app, HttpClient client, string text, string conversationId = "admin-test-group")
    {
        var posted = await client.PostAsJsonAsync("/api/local/messages", new { conversationId, userId = "li", userName = "李大爷", isGroup = true, text = "@小灵通 " + text });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await app.DeliverAsync(); // replies to the local chat go through the outbox, which the test host leaves to the test
        var result = await client.GetFromJsonAsync<WebChatEndpoints.MessagesResult>($"/api/local/conversations/{conversationId}/messages?userId=li");
        return result!.Messages.Last(m => m.From == "bot").Text;
    }

    /// <summary>The (HTML-decoded) hidden fields of the page's form <paramref name="formId"/>, antiforgery token included, as a browser posts them back.</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string html, string formId)
    {
        var start = html.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has the form {formId}");
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        return HiddenFieldPattern().Matches(form).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenFieldPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
