using System.Net;
using CommunityBot.Admin;
using CommunityBot.Faq;
using CommunityBot.Media;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using CommunityBot.Understanding;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// The admin console through the real host: sign-in with lockout, CSRF on every form, roles on every page, an FAQ
/// edit the assistant uses at once, and ticket actions through the desk within the user's scope.
/// </summary>
public sealed class AdminHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public AdminHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
        MoveToOfficeHours(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Login_RightPassword_RedirectsToTickets()
    {
        var response = await LoginAsync(_client, Boss);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/tickets", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/admin/tickets")).StatusCode);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401WithMessage()
    {
        var response = await LoginAsync(_client, Boss, "wrong-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码不正确", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await _client.GetAsync("/admin/tickets")).StatusCode);
    }

    [Fact]
    public async Task Login_UnknownName_Returns401WithTheSameMessage()
    {
        var response = await LoginAsync(_client, "nobody");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码不正确", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_FiveFailures_LocksOutEvenTheRightPasswordFor15Minutes()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(_client, Boss, "wrong-" + i)).StatusCode);
        }

        var fifth = await LoginAsync(_client, Boss, "wrong-5");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Contains("已锁定 15 分钟", await fifth.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(_client, Boss)).StatusCode);

        _app.Time.Advance(TimeSpan.FromMinutes(14.5));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(_client, Boss)).StatusCode);

        _app.Time.Advance(TimeSpan.FromMinutes(0.5));
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(_client, Boss)).StatusCode);
    }

    [Fact]
    public async Task Login_SuccessAfterFailures_ResetsTheCount()
    {
        for (var i = 0; i < 4; i++)
        {
            await LoginAsync(_client, Boss, "wrong-" + i);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(_client, Boss)).StatusCode);

        // A fresh count: four more failures are still only failures, the fifth locks.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(_client, Boss, "wrong-again-" + i)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(_client, Boss, "wrong-again-5")).StatusCode);
    }

    [Fact]
    public async Task Login_FiveFailuresFromOneAddress_LockThatAddressButNotTheRealUsersOwn()
    {
        using var attacker = Client(_app, "203.0.113.7");
        using var owner = Client(_app, "198.51.100.20");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(attacker, Boss, "guess-" + i)).StatusCode);
        }

        var fifth = await LoginAsync(attacker, Boss, "guess-5");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Contains("登录失败次数过多，账号已锁定 15 分钟", await fifth.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(attacker, Boss)).StatusCode);

        var mine = await LoginAsync(owner, Boss);
        Assert.Equal(HttpStatusCode.Redirect, mine.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/admin/tickets")).StatusCode);
    }

    [Fact]
    public async Task Login_FailuresFromManyAddresses_ReachTheCeilingAndLockTheAccountForEveryone()
    {
        // 50 wrong passwords, at most 4 from any one address, so no address lock is what stops them.
        for (var i = 0; i < 50; i++)
        {
            using var client = Client(_app, $"203.0.113.{i / 4 + 1}");
            var expected = i < 49 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests;
            Assert.Equal(expected, (await LoginAsync(client, Boss, "spray-" + i)).StatusCode);
        }

        using var owner = Client(_app, "198.51.100.20");
        var refused = await LoginAsync(owner, Boss);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("登录失败次数过多，账号已锁定 15 分钟", await refused.Content.ReadAsStringAsync());

        _app.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(owner, Boss)).StatusCode);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Returns400()
    {
        var response = await _client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = Boss, ["password"] = Password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_app.Services.GetRequiredService<AdminUserStore>().Find(Boss)!.RecentFailures);
    }

    [Fact]
    public async Task FaqSave_WithoutAntiforgeryToken_Returns400AndChangesNothing()
    {
        await LoginAsync(_client, Boss);
        var before = _app.Services.GetRequiredService<FaqStore>().Find("faq-001")!.Answer;

        var response = await _client.PostAsync("/admin/faq/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["isNew"] = "false", ["id"] = "faq-001", ["question"] = "物业电话", ["answer"] = "被篡改的答案", ["enabled"] = "true",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, _app.Services.GetRequiredService<FaqStore>().Find("faq-001")!.Answer);
    }

    [Theory]
    [InlineData("/admin/faq")]
    [InlineData("/admin/faq/edit?id=faq-001")]
    [InlineData("/admin/misses")]
    [InlineData("/admin/faq/duplicates")]
    public async Task FaqPages_Worker_Returns403(string path)
    {
        await LoginAsync(_client, WangFang);

        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("没有权限", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FaqSave_Worker_Returns403AndChangesNothing()
    {
        await LoginAsync(_client, WangFang);
        var before = _app.Services.GetRequiredService<FaqStore>().Find("faq-001")!.Answer;

        // A worker has no FAQ form to take a token from; the ticket page gives one for this session.
        var response = await PostFormAsync(_client, "/admin/tickets", "/admin/faq/edit", new()
        {
            ["isNew"] = "false", ["id"] = "faq-001", ["question"] = "物业电话", ["answer"] = "被篡改的答案", ["enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, _app.Services.GetRequiredService<FaqStore>().Find("faq-001")!.Answer);
    }

    [Theory]
    [InlineData("/admin/tickets")]
    [InlineData("/admin/faq")]
    [InlineData("/admin")]
    public async Task Pages_Anonymous_RedirectToLogin(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/admin/login?ReturnUrl=", response.Headers.Location?.AbsoluteUri);
    }

    [Fact]
    public async Task FaqEdit_NewAnswer_AssistantAnswersWithItAtOnce()
    {
        await LoginAsync(_client, Boss);
        Assert.Contains("0371-66002101", await AskAsync(_app, _client, "物业电话多少"));

        var saved = await PostFormAsync(_client, "/admin/faq/edit?id=faq-001", "/admin/faq/edit", new()
        {
            ["isNew"] = "false",
            ["id"] = "faq-001",
            ["question"] = "物业服务中心的电话是多少？",
            ["similar"] = "物业电话多少\n物业值班电话",
            ["answer"] = "物业服务中心新电话：0371-88889999，24小时值班。",
            ["category"] = "物业管理",
            ["enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/admin/faq?saved=faq-001", saved.Headers.Location?.OriginalString);
        Assert.Contains("0371-88889999", await AskAsync(_app, _client, "物业电话多少", "admin-test-group-2"));
    }

    [Fact]
    public async Task FaqEdit_EmptyAnswer_Returns400AndKeepsWhatWasTyped()
    {
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/faq/edit", "/admin/faq/edit", new()
        {
            ["isNew"] = "true", ["id"] = "", ["question"] = "垃圾分类<b>几点</b>收", ["similar"] = "厨余垃圾几点收", ["answer"] = " ", ["enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("请填写答案", html);
        Assert.Contains("垃圾分类&lt;b&gt;几点&lt;/b&gt;收", html);
        Assert.Contains("厨余垃圾几点收", html);
    }

    [Fact]
    public async Task FaqEdit_NewEntryWithTakenId_Returns400AndKeepsTheExisting()
    {
        await LoginAsync(_client, Boss);

        var response = await PostFormAsync(_client, "/admin/faq/edit", "/admin/faq/edit", new()
        {
            ["isNew"] = "true", ["id"] = "faq-001", ["question"] = "新问题", ["answer"] = "新答案", ["enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("已被其他条目使用", await response.Content.ReadAsStringAsync());
        Assert.NotEqual("新答案", _app.Services.GetRequiredService<FaqStore>().Find("faq-001")!.Answer);
    }

    [Fact]
    public async Task Misses_AddAsEntry_TwoClicksMakeAnEntryTheAssistantUses()
    {
        await LoginAsync(_client, Boss);
        var miss = await AskAsync(_app, _client, "小区里能不能养鸽子");
        Assert.DoesNotContain("可以在阳台", miss);

        var misses = await _client.GetStringAsync("/admin/misses");
        Assert.Contains("小区里能不能养鸽子", misses);
        var link = System.Text.RegularExpressions.Regex.Match(misses, "href=\"(/admin/faq/edit\\?question=[^\"]+)\"").Groups[1].Value;
        var form = await _client.GetStringAsync(System.Net.WebUtility.HtmlDecode(link)); // click 1: the prefilled form
        Assert.Contains("value=\"小区里能不能养鸽子\"", form);

        var saved = await PostFormAsync(_client, System.Net.WebUtility.HtmlDecode(link), "/admin/faq/edit", new() // click 2: save
        {
            ["isNew"] = "true", ["id"] = "", ["question"] = "小区里能不能养鸽子", ["answer"] = "养鸽需经物业同意，可以在阳台笼养，不得在公共区域搭棚。", ["enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("可以在阳台", await AskAsync(_app, _client, "小区里能不能养鸽子", "admin-test-group-3"));
    }

    [Fact]
    public async Task Misses_ResidentsChoice_OneClickAddsTheirWordsAndTheNextOneIsAnsweredAtOnce()
    {
        await LoginAsync(_client, Boss);
        var store = _app.Services.GetRequiredService<FaqStore>();
        var entry = store.Find("faq-021")!;
        Assert.DoesNotContain("供水营业厅", await AskAsync(_app, _client, "自来水的钱上哪儿付"));
        await _app.Services.GetRequiredService<CommunityBot.Faq.MissStore>().RecordAsync(
            new("自来水的钱上哪儿付", "local", "g", DateTimeOffset.UtcNow, "faq-021", 0, Chosen: true), CancellationToken.None);

        var misses = await _client.GetStringAsync("/admin/misses");
        Assert.Contains("居民选了 faq-021", misses);
        var link = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(misses, "class=\"button add-phrasing\" href=\"([^\"]+)\"").Groups[1].Value);
        var form = await _client.GetStringAsync(link);
        Assert.Contains("自来水的钱上哪儿付", form);
        var saved = await PostFormAsync(_client, link, "/admin/faq/edit", new()
        {
            ["isNew"] = "false", ["id"] = entry.Id, ["question"] = entry.Question, ["answer"] = entry.Answer, ["category"] = entry.Category ?? "",
            ["similar"] = string.Join("\n", entry.Similar.Append("自来水的钱上哪儿付")), ["enabled"] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("供水营业厅", await AskAsync(_app, _client, "自来水的钱上哪儿付", "admin-test-group-4"));
    }

    [Fact]
    public async Task TicketList_Worker_SeesOwnTicketAndOtherCommunitySeesNone()
    {
        var number = await FileTicketAsync(_app);
        var ticket = _app.Services.GetRequiredService<TicketStore>().Find(number)!;
        Assert.Equal("w-wangfang", ticket.AssigneeId);

        await LoginAsync(_client, WangFang);
        Assert.Contains(number, await _client.GetStringAsync("/admin/tickets"));

        using var other = Client(_app);
        await LoginAsync(other, LiuAn);
        Assert.DoesNotContain(number, await other.GetStringAsync("/admin/tickets"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/admin/tickets/" + number)).StatusCode);
    }

    [Fact]
    public async Task TicketList_Filters_NarrowByStatusGridLevelAndDate()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);

        Assert.Contains(number, await _client.GetStringAsync("/admin/tickets?status=Pending&grid=FH-01-01&level=Grid&category=%E7%8E%AF%E5%A2%83%E4%BF%9D%E6%8A%A4&from=2026-11-24&to=2026-11-24"));
        Assert.DoesNotContain(number, await _client.GetStringAsync("/admin/tickets?status=Resolved"));
        Assert.DoesNotContain(number, await _client.GetStringAsync("/admin/tickets?grid=FH-02-01"));
        Assert.DoesNotContain(number, await _client.GetStringAsync("/admin/tickets?level=Community"));
        Assert.DoesNotContain(number, await _client.GetStringAsync("/admin/tickets?from=2026-11-25"));
    }

    [Fact]
    public async Task TicketList_BadDate_Returns400WithMessage()
    {
        await LoginAsync(_client, Boss);

        var response = await _client.GetAsync("/admin/tickets?from=23.11.2026");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("不是日期", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TicketAct_WorkerSignsThenCloses_StatusAndTimelineFollow()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, WangFang);
        var page = "/admin/tickets/" + number;

        var signed = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Sign", ["note"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        Assert.Equal(TicketStatus.InProgress, _app.Services.GetRequiredService<TicketStore>().Find(number)!.Status);

        var noNote = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Close", ["note"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Contains("请先填写说明", await noNote.Content.ReadAsStringAsync());

        var closed = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Close", ["note"] = "已约谈烧烤店，晚十点后停业" });
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var ticket = _app.Services.GetRequiredService<TicketStore>().Find(number)!;
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKind.Closed && e.Actor == "w-wangfang" && e.Note == "已约谈烧烤店，晚十点后停业");
        var detail = await _client.GetStringAsync(page);
        Assert.Contains("已约谈烧烤店", detail);
        Assert.Contains("签收", detail);
    }

    [Fact]
    public async Task TicketAct_CloseWithAPhotoAddress_KeptApartAndShownUnderItsOwnHeading()
    {
        _app.Photos.Serve("https://files.example.org/closing/bbq.jpg", TestImages.Jpeg);
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, WangFang);
        var page = "/admin/tickets/" + number;

        var closed = await PostFormAsync(_client, page, page + "/act", new()
        {
            ["action"] = "Close", ["note"] = "", ["photos"] = "https://files.example.org/closing/bbq.jpg\n",
        });

        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var ticket = _app.Services.GetRequiredService<TicketStore>().Find(number)!;
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        var photo = Assert.Single(ticket.ClosingPhotos);
        Assert.Equal("https://files.example.org/closing/bbq.jpg", _app.Services.GetRequiredService<MediaStore>().Find(MediaRef.IdOf(photo)!)!.Source);
        Assert.Empty(ticket.Photos);
        var detail = await _client.GetStringAsync(page);
        Assert.Contains("<h2>办结照片（1）</h2>", detail);
        Assert.Contains("""<div class="photos" id="closing-photos"><span class="muted photo-pending">办结照片1正在保存""", detail);

        await _app.FetchMediaAsync();
        detail = await _client.GetStringAsync(page);
        Assert.Contains("""<div class="photos" id="closing-photos"><a href="/media/""", detail);
        Assert.Equal(TestImages.Jpeg, await _client.GetByteArrayAsync(Assert.Single(PhotoLinks.ImagesOn(detail))));
        Assert.DoesNotContain("files.example.org", detail);
        Assert.DoesNotContain("现场照片（", detail); // the resident sent none
    }

    [Theory]
    [InlineData("Close", "javascript:alert(1)", "办结照片地址需为 http:// 或 https://")]
    [InlineData("Reply", "https://files.example.org/a.jpg", "照片只能随办结发给居民")]
    public async Task TicketAct_BadPhotoAddress_Returns400KeepsTheFormAndChangesNothing(string action, string photo, string expected)
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, WangFang);
        var page = "/admin/tickets/" + number;

        var response = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = action, ["note"] = "已约谈烧烤店", ["photos"] = photo });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, html);
        Assert.Contains(">已约谈烧烤店</textarea>", html); // nothing the worker typed is lost
        Assert.Contains(System.Net.WebUtility.HtmlEncode(photo) + "</textarea>", html);
        var ticket = _app.Services.GetRequiredService<TicketStore>().Find(number)!;
        Assert.True(ticket.IsOpen);
        Assert.DoesNotContain(ticket.Events, e => e.Kind is TicketEventKind.Closed or TicketEventKind.Replied);
    }

    [Fact]
    public async Task TicketAct_OtherCommunityStaff_Returns404AndChangesNothing()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, LiuAn);

        var response = await PostFormAsync(_client, "/admin/tickets", "/admin/tickets/" + number + "/act", new() { ["action"] = "Sign", ["note"] = "" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(TicketStatus.Pending, _app.Services.GetRequiredService<TicketStore>().Find(number)!.Status);
    }

    [Fact]
    public async Task TicketAct_StreetAdmin_SignsAnyTicket()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, Boss);
        var page = "/admin/tickets/" + number;

        var signed = await PostFormAsync(_client, page, page + "/act", new() { ["action"] = "Sign", ["note"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        Assert.Contains(_app.Services.GetRequiredService<TicketStore>().Find(number)!.Events, e => e.Kind == TicketEventKind.Signed && e.Actor == "w-majun");
    }

    [Fact]
    public async Task TicketDetail_Handler_SeesTheReportersPhone()
    {
        var number = await FileTicketAsync(_app);
        await LoginAsync(_client, WangFang);

        Assert.Contains("13812345678", await _client.GetStringAsync("/admin/tickets/" + number));
    }
}
