using CommunityBot.Admin;
using CommunityBot.Backup;
using CommunityBot.Broadcasts;
using CommunityBot.Channels.BotFramework;
using CommunityBot.Channels.WeCom;
using CommunityBot.Channels.WebChat;
using CommunityBot.Clocks;
using CommunityBot.Cli;
using CommunityBot.Conversation;
using CommunityBot.Demo;
using CommunityBot.Directory;
using CommunityBot.Health;
using CommunityBot.Hosting;
using CommunityBot.Media;
using CommunityBot.Metrics;
using CommunityBot.Notices;
using CommunityBot.Open311;
using CommunityBot.Oversight;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using CommunityBot.Understanding;

if (CommandLineApp.IsVerb(args))
{
    return await CommandLineApp.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory, // the root appsettings.json is copied next to the binaries
});
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data-dir"] = "CommunityBot:DataDir" });
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.AddReverseProxy();
builder.AddStorage();
builder.AddDirectory();       // before AddUnderstanding: the demo knowledge base's per-compound answers need the directory seeded
builder.AddUnderstanding();
builder.AddDemo();            // before AddClocks: the demo history is written before the escalation sweeper starts
builder.AddClocks();
builder.AddMedia();
builder.AddTickets();
builder.AddNotices();
builder.AddOversight();
builder.AddDialogs();
builder.AddBotFrameworkChannel();
builder.AddWebChatChannel();
builder.AddWeComChannel();
builder.AddOpen311();
builder.AddBroadcasts();
builder.AddAdminConsole();
builder.AddMetrics();
builder.AddHealth();
builder.AddBackups();

var app = builder.Build();
app.UseReverseProxy();          // X-Forwarded-For/-Proto from ReverseProxy:KnownProxies/KnownNetworks only
app.MapMetrics();               // /metrics when Metrics:Enabled: this machine or the scrape token only
app.MapBotFrameworkEndpoints(); // POST /api/messages
app.MapWebChatEndpoints();      // the local chat page and its API
app.MapWeComEndpoints();        // GET+POST /api/wecom
app.MapMedia();                 // GET /media/{id}?exp=&sig=: a kept photo, by signed link
app.MapOpen311Endpoints();      // Open311 GeoReport v2 under /open311/v2
app.MapAdminConsole();          // the admin console under /admin
app.MapHealth();                // /healthz, /healthz/live, /healthz/ready
app.MapBackupEndpoints();       // POST /ops/backup for the CLI's backup verb (this machine and its token only)
app.Run();
return 0;

/// <summary>Lets WebApplicationFactory&lt;Program&gt; find the entry point.</summary>
public partial class Program;
