using CommunityBot.Conversation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Wiring and HTTP entry point of the Bot Framework channel: <c>POST /api/messages</c>, run by Bot Builder
/// (<c>CloudAdapter.ProcessAsync</c> with <see cref="BotFrameworkAdmission"/> and the shared middleware), and the outbox's deliveries to Bot Framework
/// channels (<see cref="BotFrameworkChannelClient"/>, through the same adapter).
/// </summary>
public static partial class BotFrameworkEndpoints
{
    public const string Route = "/api/messages";

    /// <summary>The HttpClient of the Connector calls (replies, new 1:1 conversations).</summary>
    public const string ConnectorHttpClientName = "BotFrameworkConnector";

    /// <summary>The HttpClient that fetches the OpenID metadata and signing keys, and the bot's tokens from Entra ID.</summary>
    public const string AuthHttpClientName = "BotFrameworkAuth";

    private const string LoggerCategory = "CommunityBot.Channels.BotFramework.BotFrameworkEndpoints";

    /// <summary>
    /// Registers the options, the SDK's authentication and credentials (<see cref="ConfiguredBotFrameworkAuthentication"/>),
    /// the <see cref="CloudAdapter"/> with its bot, and the channel client (as an <see cref="IChannelClient"/>).
    /// </summary>
    public static IHostApplicationBuilder AddBotFrameworkChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotFrameworkOptions>()
            .BindConfiguration(BotFrameworkOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        HostExposure.Register(builder.Services);

        // Both clients are kept for the life of the process (in the SDK's metadata cache, in the shared connectors), so
        // their handler is never rotated; the handler recycles its connections instead, for DNS changes to be seen.
        // A Connector call follows no redirect: it goes to an allowed service host or nowhere.
        builder.Services.AddHttpClient(ConnectorHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        builder.Services.AddHttpClient(AuthHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        builder.Services.AddSingleton(sp => new ServiceUrlPolicy(sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value));

        // The SDK's credentials for outgoing calls: MicrosoftAppCredentials through MSAL for the configured app, tenant
        // botframework.com (multi-tenant) or MicrosoftAppTenantId (single-tenant); none without an app id (the Emulator).
        builder.Services.TryAddSingleton<ServiceClientCredentialsFactory>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
            return new PasswordServiceClientCredentialFactory(
                settings.AuthenticationEnabled ? settings.MicrosoftAppId : null,
                settings.MicrosoftAppPassword,
                settings.MicrosoftAppTenantId ?? "",
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(AuthHttpClientName),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<PasswordServiceClientCredentialFactory>());
        });
        builder.Services.AddSingleton(sp => new ConfiguredBotFrameworkAuthentication(
            sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value,
            sp.GetRequiredService<ServiceClientCredentialsFactory>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<ServiceUrlPolicy>(),
            sp.GetRequiredService<ILogger<ConfiguredBotFrameworkAuthentication>>()));
        builder.Services.AddSingleton<BotFrameworkAuthentication>(sp => sp.GetRequiredService<ConfiguredBotFrameworkAuthentication>());

        // CloudAdapter has two public constructors: a factory says which. The admission comes first, then the middleware
        // every channel shares (and its OnTurnError, which throws on whatever is not a resident's failed turn, so an
        // ActivityRefusedException reaches the endpoint and a refused delivery reaches the outbox).
        builder.Services.AddSingleton(sp =>
        {
            var adapter = new CloudAdapter(sp.GetRequiredService<BotFrameworkAuthentication>(), sp.GetRequiredService<ILogger<CloudAdapter>>());
            adapter.Use(sp.GetRequiredService<BotFrameworkAdmission>());
            return sp.GetRequiredService<TurnMiddleware>().UseIn(adapter);
        });
        builder.Services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<CloudAdapter>());
        builder.Services.AddSingleton<BotFrameworkAdmission>();

        builder.Services.AddSingleton<PrivateConversations>();
        builder.Services.AddSingleton<BotFrameworkChannelClient>();
        builder.Services.AddTransient<IChannelClient>(sp => sp.GetRequiredService<BotFrameworkChannelClient>());
        return builder;
    }

    /// <summary>
    /// Maps <c>POST /api/messages</c>, where Bot Framework channels deliver activities, and says at start-up when it
    /// refuses or accepts unauthenticated activities beyond this machine.
    /// </summary>
    public static IEndpointRouteBuilder MapBotFrameworkEndpoints(this IEndpointRouteBuilder app)
    {
        var settings = app.ServiceProvider.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        var exposure = app.ServiceProvider.GetRequiredService<HostExposure>();
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        if (!settings.AuthenticationEnabled && settings.AllowUnauthenticated)
        {
            LogUnauthenticatedAllowed(logger, Describe(exposure));
        }
        else if (!settings.AuthenticationEnabled && !exposure.IsLoopbackOnly)
        {
            LogUnauthenticatedRefused(logger, Describe(exposure));
        }

        // Made now, not on the first request: the SDK's metadata cache must get our HttpClient before anything asks it.
        _ = app.ServiceProvider.GetRequiredService<CloudAdapter>();
        app.MapPost(Route, HandleActivityAsync);
        return app;
    }

    private static string Describe(HostExposure exposure) =>
        exposure.IsLoopbackOnly ? "loopback only" : string.Join(", ", exposure.PublicAddresses);

    /// <summary>
    /// The checks that need no SDK come first (no token where one is needed, an unauthenticated caller that is not this
    /// machine, not JSON, too large, not a JSON activity object), so that nothing of such a request is read or parsed
    /// further; then the SDK authenticates the activity and runs the turn, in which <see cref="BotFrameworkAdmission"/> applies the
    /// rest (the activity's ids, channel and service URL) to what the SDK read.
    /// </summary>
    private static async Task<IResult> HandleActivityAsync(
        HttpContext http,
        [FromServices] CloudAdapter adapter,
        [FromServices] Microsoft.Bot.Builder.IBot bot,
        [FromServices] IOptions<BotFrameworkOptions> options,
        [FromServices] HostExposure exposure,
        [FromServices] ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var logger = loggers.CreateLogger(LoggerCategory);

        // Without a token there is nothing to check; do not read the body of an unauthenticated caller.
        if (settings.AuthenticationEnabled && string.IsNullOrWhiteSpace(http.Request.Headers.Authorization.ToString()))
        {
            LogUnauthorized(logger, "no Authorization header");
            return TypedResults.Unauthorized();
        }

        // Without an app id nobody is authenticated: only this machine may speak, unless the operator opted in.
        if (!settings.AuthenticationEnabled && !settings.AllowUnauthenticated && !exposure.IsLocal(http))
        {
            LogUnauthorized(logger, exposure.IsLoopbackOnly
                ? "no app id, and the request is not from this machine (a proxy or another address)"
                : "no app id on a non-loopback binding");
            return TypedResults.Unauthorized();
        }

        // The Bot Framework always posts JSON. Requiring it also keeps a web page in the resident's browser from posting
        // to a loopback demo: a cross-site form or text/plain POST cannot carry this type without the server's consent.
        if (!http.Request.HasJsonContentType())
        {
            LogBadRequest(logger, "not application/json");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Activity must be JSON",
                detail: "POST /api/messages takes an activity as application/json.");
        }

        var body = await ReadBodyAsync(http.Request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            LogBadRequest(logger, "body too large");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Activity too large",
                detail: $"The request body is larger than {settings.MaxBodyBytes} bytes.");
        }

        if (ActivityJson.FindProblem(body) is { } problem)
        {
            LogBadRequest(logger, problem);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid activity", detail: problem);
        }

        http.Request.Body = new MemoryStream(body, writable: false);
        try
        {
            await adapter.ProcessAsync(http.Request, http.Response, bot, cancellationToken);
        }
        catch (ActivityRefusedException refused)
        {
            // Thrown by the authentication or at the start of the turn: the SDK has written nothing yet.
            switch (refused.StatusCode)
            {
                case StatusCodes.Status401Unauthorized:
                    LogUnauthorized(logger, refused.Reason);
                    break;
                case StatusCodes.Status403Forbidden:
                    LogForbidden(logger, refused.Reason, refused.ChannelId);
                    break;
                default:
                    LogBadRequest(logger, refused.Reason);
                    break;
            }

            return refused.ToResult();
        }

        // The SDK answers 400, without a body, to JSON it cannot read as an Activity (a field of the wrong type).
        if (http.Response.StatusCode == StatusCodes.Status400BadRequest && !http.Response.HasStarted)
        {
            LogBadRequest(logger, "not readable as an activity");
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid activity", detail: ActivityJson.NotAnActivity);
        }

        return TypedResults.Empty; // the SDK has set the status (200, or 501 for an invoke nobody answered)
    }

    /// <summary>Reads the body, or returns null as soon as it proves longer than the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework request rejected with 401: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework request rejected with 403: {Reason} ({ChannelId})")]
    private static partial void LogForbidden(ILogger logger, string reason, string channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BotFramework:MicrosoftAppId is empty and the server listens on {Addresses}: " +
        "/api/messages refuses every activity with 401. Set BotFramework:MicrosoftAppId (and BotFramework__MicrosoftAppPassword) " +
        "for Teams, or BotFramework:AllowUnauthenticated=true for an Emulator on a private network")]
    private static partial void LogUnauthenticatedRefused(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BotFramework:AllowUnauthenticated is on and there is no app id: /api/messages accepts " +
        "unauthenticated activities from anyone who reaches the server (listening on {Addresses}), who can speak as any user")]
    private static partial void LogUnauthenticatedAllowed(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework request rejected with 400: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);
}
