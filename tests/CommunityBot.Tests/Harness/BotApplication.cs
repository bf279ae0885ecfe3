using CommunityBot.Channels.BotFramework;
using CommunityBot.Channels.WeCom;
using CommunityBot.Conversation;
using CommunityBot.Faq;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Understanding;
using LiteDB;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// The real host (Program) with an in-memory LiteDB, a fake clock, a fake Connector and fake photo hosts; the proactive
/// turns, the outbox and the photo fetch are run by the test (<see cref="DeliverAsync"/>, <see cref="FetchMediaAsync"/>)
/// instead of their background services, so nothing waits on real time.
/// </summary>
public sealed class BotApplication : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "communitybot-tests", Guid.NewGuid().ToString("N"));

    /// <param name="settings">Configuration values on top of appsettings.json.</param>
    /// <param name="databaseFile">
    /// A LiteDB file to use instead of an in-memory database, so that a second host over the same file sees what the
    /// first one wrote (a restart); the file is not deleted.
    /// </param>
    public BotApplication(Dictionary<string, string?>? settings = null, string? databaseFile = null)
    {
        _settings = settings ?? [];
        Database = databaseFile is null
            ? new LiteDatabase(new MemoryStream())
            : new LiteDatabase(new ConnectionString { Filename = databaseFile, Connection = ConnectionType.Direct });
    }

    public FakeConnectorHandler Connector { get; } = new();

    /// <summary>The channels' photo hosts and their DNS, as the media fetcher sees them (no network).</summary>
    public FakePhotoServer Photos { get; } = new();
    public FakeHostResolver Hosts { get; } = new();

    /// <summary>Where the signed photo links point (Media:PublicBaseUrl), unless a test sets its own.</summary>
    public const string PublicBaseUrl = "https://bot.example.org";

    /// <summary>Stands in for the WeCom server API and response_urls when set (the WeCom channel's tests).</summary>
    public HttpMessageHandler? WeComHandler { get; init; }
    public FakeTimeProvider Time { get; init; } = new(new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.FromHours(8)));
    public LiteDatabase Database { get; }

    /// <summary>More test services (e.g. a log collector), added after the harness's own.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>Replaces the knowledge base with the test fixture.</summary>
    public void UseTestKnowledgeBase()
    {
        var store = Services.GetRequiredService<FaqStore>();
        store.ReplaceAll(DemoKnowledgeBase.Entries);
        Services.GetRequiredService<FaqMatcher>().Reload(store.Enabled());
    }

    /// <summary>Runs the proactive turns that are due (a closing survey …), then delivers everything in the outbox now.</summary>
    public async Task<int> DeliverAsync()
    {
        await Services.GetRequiredService<ProactiveTurnRunner>().RunDueAsync(CancellationToken.None);
        return await Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    /// <summary>One round of the background photo fetch (which this host does not run by itself), then the outbox delivered.</summary>
    public async Task<int> FetchMediaAsync()
    {
        var taken = await Services.GetRequiredService<MediaKeeper>().KeepDueAsync(CancellationToken.None);
        await DeliverAsync();
        return taken;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CommunityBot:DataDir", _dataDir);
        // No background model training per test host: intents come from the rules, deterministically.
        builder.UseSetting("Nlu:Enabled", "false");
        // The demo directory is seeded as in production, its demo notice only where a test asks for it.
        builder.UseSetting("Directory:DemoNotice", "false");
        // Likewise the demo's ticket history, its tied group and its one-time console sign-in (tests that need them set them).
        builder.UseSetting("Demo:Tickets", "false");
        builder.UseSetting("Demo:TieGroup", "false");
        builder.UseSetting("Demo:SignIn", "false");
        // The Teams payloads in Payloads/ come unauthenticated from Teams' service host: allow replies to it (a test that
        // needs the default, loopback only, sets this key itself).
        builder.UseSetting(UnauthenticatedServiceHostSetting, "smba.trafficmanager.net");
        builder.UseSetting("Media:PublicBaseUrl", PublicBaseUrl);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ILiteDatabase>();
            services.AddSingleton<ILiteDatabase>(Database);
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddHttpClient(BotFrameworkEndpoints.ConnectorHttpClientName).ConfigurePrimaryHttpMessageHandler(() => Connector);
            if (WeComHandler is { } weCom)
            {
                services.AddHttpClient<WeComClient>().ConfigurePrimaryHttpMessageHandler(() => weCom);
            }

            services.AddHttpClient(MediaExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Photos);
            services.RemoveAll<IMediaHostResolver>();
            services.AddSingleton<IMediaHostResolver>(Hosts);
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();

            ExtraServices?.Invoke(services);

            var outboxService = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OutboxService));
            services.Remove(outboxService);
            // The proactive turns too: DeliverAsync runs them, in order with the outbox.
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ProactiveTurnService)));
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(MediaFetchService)));
        });
    }

    /// <summary>The host the test host allows unauthenticated activities to name as their serviceUrl.</summary>
    public const string UnauthenticatedServiceHostSetting = "BotFramework:UnauthenticatedServiceHosts:0";

    /// <summary>The header a test sets to stand for the client's address (the test server has no real connection).</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (System.Net.IPAddress.TryParse(context.Request.Headers[ClientAddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Database.Dispose();
            if (System.IO.Directory.Exists(_dataDir))
            {
                System.IO.Directory.Delete(_dataDir, recursive: true);
            }
        }
    }
}
