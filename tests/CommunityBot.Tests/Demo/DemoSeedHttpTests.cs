using System.Net;
using System.Text.RegularExpressions;
using CommunityBot.Admin;
using CommunityBot.Broadcasts;
using CommunityBot.Demo;
using CommunityBot.Directory;
using CommunityBot.Oversight;
using CommunityBot.Tests.Channels.BotFramework;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Demo;

/// <summary>
/// Issue 15, item 4: a fresh install with the demo directory gets a past month of demo tickets, its demo group tied to
/// 幸福里, and (on a loopback-only binding) a one-time console sign-in; a real directory gets none of it.
/// </summary>
public sealed partial class DemoSeedHttpTests
{
    private static readonly Dictionary<string, string?> DemoOn = new()
    {
        ["Demo:Tickets"] = "true",
        ["Demo:TieGroup"] = "true",
        ["Demo:SignIn"] = "true",
    };

    [Fact]
    public async Task FirstStart_DemoDirectory_SeedsAVariedMonthThroughTheDesk_TiesTheDemoGroup_AndOnlyOnce()
    {
        using var app = new BotApplication(DemoOn);
        var store = app.Services.GetRequiredService<TicketStore>();
        var tickets = store.All();

        // The fake clock stands at 2026-11-23 20:00: the history runs from 1 October.
        Assert.InRange(tickets.Count, 250, 700);
        Assert.All(tickets, t => Assert.StartsWith(DemoTicketHistory.Mark, t.Description, StringComparison.Ordinal));
        Assert.All(tickets, t => Assert.StartsWith("演示居民", t.Reporter.UserName, StringComparison.Ordinal));
        Assert.Equal(new DateOnly(2026, 10, 1), DateOnly.FromDateTime(tickets.Min(t => t.CreatedAt).AddHours(8)));
        Assert.True(tickets.Max(t => t.CreatedAt) < app.Time.GetUtcNow().UtcDateTime);
        Assert.True(tickets.Select(t => t.Category).Distinct().Count() >= 10, "varied categories");
        Assert.Equal(8, tickets.Select(t => t.GridId).Distinct().Count());
        // What the month of a real office has: escalations, 重办, returns, transfers, +1s, answers both ways, open tickets.
        var events = tickets.SelectMany(t => t.Events).ToList();
        Assert.Contains(events, e => e.Kind == TicketEventKind.Escalated);
        Assert.Contains(events, e => e.Kind == TicketEventKind.Reminded);
        Assert.Contains(events, e => e.Kind == TicketEventKind.Reopened);
        Assert.Contains(events, e => e.Kind == TicketEventKind.Confirmed);
        Assert.Contains(events, e => e.Kind == TicketEventKind.Returned);
        Assert.Contains(events, e => e.Kind == TicketEventKind.Transferred);
        Assert.Contains(events, e => e.Kind == TicketEventKind.Replied);
        Assert.Contains(tickets, t => t.Supporters.Count > 0);
        Assert.Contains(tickets, t => t.IsOpen);
        Assert.Contains(tickets, t => t.Status == TicketStatus.Closed);
        // Every ticket's log is in time order and its status is what its events say (the desk's own rules).
        Assert.All(tickets, t =>
        {
            Assert.Equal(t.Events.OrderBy(e => e.At).Select(e => e.At), t.Events.Select(e => e.At));
            Assert.Equal(TicketStatusRules.Replay(t.Events), t.Status);
        });
        // No demo ticket left open in 幸福里 lately: the README tour's first report there opens its own ticket.
        Assert.DoesNotContain(tickets, t => t.IsOpen && t.CompoundId == "xingfuli" && t.CreatedAt > app.Time.GetUtcNow().UtcDateTime.AddHours(-48));

        var october = await app.Services.GetRequiredService<AssessmentService>().ComputeMonthAsync(2026, 10);
        Assert.True(october.GridRanking.Entries.Count(e => e.Rank is not null) >= 6, "most grids have enough tickets to be ranked");
        Assert.NotEmpty(october.GridRanking.RedList);
        Assert.NotEmpty(october.GridRanking.BlackList);
        Assert.NotEmpty(october.WorkerRanking.RedList);
        Assert.All(october.Units.Where(u => u.Level == AssessmentLevel.Street), u =>
        {
            Assert.InRange(u.SatisfiedRate!.Value, 0.6, 0.99);
            Assert.InRange(u.TimelySignRate!.Value, 0.5, 0.99);
            Assert.InRange(u.OnTimeCloseRate!.Value, 0.5, 0.99);
            Assert.InRange(u.ReopenRate!.Value, 0.01, 0.4);
        });

        var group = app.Services.GetRequiredService<GroupRegistry>().Find("local/demo-group");
        Assert.NotNull(group);
        Assert.Equal(("幸福里小区业主群", "FH-01", "xingfuli"), (group.Name, group.CommunityId, group.CompoundId));

        // A second start over the same data: nothing more.
        var seeder = app.Services.GetServices<IHostedService>().OfType<DemoSeeder>().Single();
        await seeder.StartAsync(CancellationToken.None);
        Assert.Equal(tickets.Count, store.All().Count);
    }

    [Fact]
    public async Task ShippedDemo_PropertyPhoneInTheDemoGroup_GivesXingfulisNumberOnly_AndTheGeneralAnswerInAnUntiedGroup()
    {
        using var app = new BotApplication(new() { ["Demo:TieGroup"] = "true" });
        using var client = Client(app);

        var inDemoGroup = await AskAsync(app, client, "物业电话多少", conversationId: "demo-group");
        var elsewhere = await AskAsync(app, client, "物业电话多少", conversationId: "another-group");

        Assert.Contains("0371-66002101", inDemoGroup);
        Assert.DoesNotContain("0371-66002102", inDemoGroup);
        Assert.DoesNotContain("0371-66002103", inDemoGroup);
        Assert.Contains("0371-66002101", elsewhere);
        Assert.Contains("0371-66002102", elsewhere);
    }

    [Fact]
    public void FirstStart_TwoFreshInstalls_SeedTheSameHistory()
    {
        using var first = new BotApplication(new() { ["Demo:Tickets"] = "true" });
        using var second = new BotApplication(new() { ["Demo:Tickets"] = "true" });

        static List<string> Summary(BotApplication app) => app.Services.GetRequiredService<TicketStore>().All()
            .OrderBy(t => t.Number, StringComparer.Ordinal)
            .Select(t => $"{t.Number} {t.Category} {t.GridId} {t.AssigneeId} {t.Status} {t.Events.Count} {t.Description}")
            .ToList();

        Assert.Equal(Summary(first), Summary(second));
    }

    [Fact]
    public void FirstStart_RealDirectory_SeedsNothing_TiesNothing_AndPrintsNoSignIn()
    {
        var logs = new CollectingLoggerProvider();
        using var app = new BotApplication(DemoOn) { ExtraServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs) };
        // The office's own directory is in the store before the first start: the demo one with its own street office.
        var demo = DirectoryJson.Read(Path.Combine(AppContext.BaseDirectory, "Data", "demo-directory.json"));
        new DirectoryStore(app.Database).ReplaceAll(demo with { StreetOffice = new StreetOffice { Name = "高新街道办事处" } });

        Assert.Empty(app.Services.GetRequiredService<TicketStore>().All());
        Assert.Null(app.Services.GetRequiredService<GroupRegistry>().Find("local/demo-group"));
        Assert.DoesNotContain(logs.Logger.Entries, e => e.Message.Contains("sign in once", StringComparison.Ordinal));
        Assert.False(app.Services.GetRequiredService<DemoSignIn>().IsPending);
    }

    [Fact]
    public async Task SignIn_LoopbackDemo_PrintedOnce_OpensTheConsoleOnce()
    {
        var logs = new CollectingLoggerProvider();
        using var app = new BotApplication(new() { ["Demo:SignIn"] = "true" }) { ExtraServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs) };
        using var client = Client(app);

        var printed = Assert.Single(logs.Logger.Entries, e => e.Message.Contains("sign in once", StringComparison.Ordinal));
        var link = LinkPattern().Match(printed.Message);
        Assert.True(link.Success, printed.Message);
        Assert.StartsWith("http://localhost:3978/admin/login/demo?token=", link.Value, StringComparison.Ordinal);
        var path = new Uri(link.Value).PathAndQuery;
        var token = link.Groups["token"].Value;

        var shortPassword = await PostFormAsync(client, path, DemoSignIn.Path, new() { ["token"] = token, ["password"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        var signedIn = await PostFormAsync(client, path, DemoSignIn.Path, new() { ["token"] = token, ["password"] = "demo-password-1" });

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin/dashboard?month=2026-10", signedIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/dashboard?month=2026-10")).StatusCode);
        var account = app.Services.GetRequiredService<AdminUserStore>().Find(DemoSignIn.AccountName);
        Assert.NotNull(account);
        Assert.Equal((AdminRole.Admin, "w-majun"), (account.Role, account.WorkerId));
        // The password chosen works for the next sign-in; the link does not work again.
        using var other = Client(app);
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(other, DemoSignIn.AccountName, "demo-password-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
        var again = await PostFieldsAsync(other, "/admin/login", DemoSignIn.Path, [new("token", token), new("password", "another-password-2")]);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Single(app.Services.GetRequiredService<AdminUserStore>().All());
    }

    [Fact]
    public async Task SignIn_PublicBinding_IsNeitherPrintedNorUsable()
    {
        var logs = new CollectingLoggerProvider();
        using var app = new BotApplication(new() { ["Demo:SignIn"] = "true", ["Urls"] = "http://0.0.0.0:3978" })
        {
            ExtraServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs),
        };
        using var client = Client(app);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(DemoSignIn.Path + "?token=anything")).StatusCode);
        Assert.DoesNotContain(logs.Logger.Entries, e => e.Message.Contains("sign in once", StringComparison.Ordinal));
        Assert.False(app.Services.GetRequiredService<DemoSignIn>().IsPending);
    }

    [Fact]
    public async Task SignIn_FromAnotherMachine_IsRefusedAndLeavesTheLinkUnused()
    {
        var logs = new CollectingLoggerProvider();
        using var app = new BotApplication(new() { ["Demo:SignIn"] = "true" }) { ExtraServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs) };
        using var remote = Client(app, "192.168.1.20");
        var link = LinkPattern().Match(Assert.Single(logs.Logger.Entries, e => e.Message.Contains("sign in once", StringComparison.Ordinal)).Message);

        Assert.Equal(HttpStatusCode.NotFound, (await remote.GetAsync(new Uri(link.Value).PathAndQuery)).StatusCode);
        Assert.True(app.Services.GetRequiredService<DemoSignIn>().IsPending);
        Assert.Equal(0, app.Services.GetRequiredService<AdminUserStore>().Count());
    }

    [Fact]
    public void SignIn_ConsoleAlreadyHasAnAccount_IsNotPrinted()
    {
        var logs = new CollectingLoggerProvider();
        using var app = new BotApplication(new() { ["Demo:SignIn"] = "true" }) { ExtraServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs) };
        new AdminUserStore(app.Database).Save(new AdminUser { Name = "boss", Role = AdminRole.Admin }, "correct-horse-1");

        Assert.False(app.Services.GetRequiredService<DemoSignIn>().IsPending);
        Assert.DoesNotContain(logs.Logger.Entries, e => e.Message.Contains("sign in once", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"http://\S+/admin/login/demo\?token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
