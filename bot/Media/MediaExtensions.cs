using CommunityBot.Channels;
using CommunityBot.Channels.BotFramework;
using CommunityBot.Channels.WeCom;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>Registers media re-hosting (the store, the fetcher and its channel credentials, links, the background fetch) and maps <c>GET /media/{id}</c>.</summary>
public static partial class MediaExtensions
{
    /// <summary>The HttpClient that fetches photos from the channels (see <see cref="MediaFetcher.CreateHandler"/>).</summary>
    public const string HttpClientName = "Media";

    /// <summary>The folder under the data directory that holds the photos and the link-signing key.</summary>
    public const string FolderName = "media";

    private const string LoggerCategory = "CommunityBot.Media.MediaExtensions";

    /// <summary>Needs <c>AddStorage()</c>, and <c>AddBotFrameworkChannel()</c> for the Teams credentials.</summary>
    public static IHostApplicationBuilder AddMedia(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaOptions>()
            .BindConfiguration(MediaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        HostExposure.Register(builder.Services);
        builder.Services.TryAddSingleton<IMediaHostResolver, DnsMediaHostResolver>();

        builder.Services.AddSingleton(sp => new MediaStore(
            sp.GetRequiredService<ILiteDatabase>(), sp.GetRequiredService<LiteDbWriter>(), FolderOf(sp), sp.GetRequiredService<ILogger<MediaStore>>()));
        builder.Services.AddSingleton(sp => MediaSigner.FromFolder(FolderOf(sp)));
        builder.Services.AddSingleton<MediaLinks>();
        builder.Services.AddSingleton<MediaIntake>();

        // Kept for the life of the process (the fetcher is a singleton), so the handler recycles its connections instead.
        builder.Services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => MediaFetcher.CreateHandler(
                sp.GetRequiredService<IOptions<MediaOptions>>().Value, sp.GetRequiredService<IMediaHostResolver>()))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // MediaOptions.FetchTimeout applies
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton<IMediaCredentials, BotFrameworkMediaCredentials>();
        builder.Services.AddSingleton<IMediaCredentials, WeComMediaCredentials>();
        builder.Services.AddSingleton(sp => new MediaFetcher(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetServices<IMediaCredentials>(),
            sp.GetRequiredService<IOptions<MediaOptions>>(),
            sp.GetRequiredService<IMediaHostResolver>()));
        builder.Services.AddSingleton<MediaKeeper>();
        builder.Services.AddHostedService<MediaFetchService>();
        return builder;
    }

    /// <summary>Maps <c>GET /media/{id}</c>, and says at start-up when the links will not open beyond this machine.</summary>
    public static WebApplication MapMedia(this WebApplication app)
    {
        var links = app.Services.GetRequiredService<MediaLinks>();
        var remoteChannels = app.Services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.AuthenticationEnabled
            || app.Services.GetRequiredService<IOptions<WeComOptions>>().Value.Enabled;
        if (!links.IsPublic && remoteChannels)
        {
            LogNoPublicBase(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory), links.Base);
        }

        MediaEndpoints.Map(app);
        return app;
    }

    private static string FolderOf(IServiceProvider services) =>
        Path.Combine(Path.GetFullPath(services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDir), FolderName);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Media:PublicBaseUrl is not set: photo links point at {Base}, which residents and workers on WeCom or Teams cannot open. Set it to the server's public https address.")]
    private static partial void LogNoPublicBase(ILogger logger, string @base);
}
