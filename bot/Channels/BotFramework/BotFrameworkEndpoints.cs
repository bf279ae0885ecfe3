using System.Text.Json;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.BotFramework;

/// <summary>Wiring and HTTP entry point of the Bot Framework channel: <c>POST /api/messages</c>.</summary>
public static partial class BotFrameworkEndpoints
{
    public const string Route = "/api/messages";

    private const string LoggerCategory = "CommunityBot.Channels.BotFramework.BotFrameworkEndpoints";

    /// <summary>Registers the options, token validation, outgoing tokens and the Connector client (also as an <see cref="IChannelClient"/>).</summary>
    public static IHostApplicationBuilder AddBotFrameworkChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotFrameworkOptions>()
            .BindConfiguration(BotFrameworkOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        HostExposure.Register(builder.Services);

        builder.Services.AddHttpClient(BotFrameworkAuth.HttpClientName);
        builder.Services.AddSingleton(sp => new BotFrameworkAuth(
            sp.GetRequiredService<IOptions<BotFrameworkOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(BotFrameworkAuth.HttpClientName),
            sp.GetRequiredService<ILogger<BotFrameworkAuth>>()));

        builder.Services.AddSingleton(sp => new ServiceUrlPolicy(sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value));
        builder.Services.AddSingleton<IConnectorTokenProvider, MsalConnectorTokenProvider>();
        builder.Services.AddSingleton<PrivateConversations>();
        builder.Services.AddHttpClient<ConnectorClient>();
        builder.Services.AddTransient<IChannelClient>(sp => sp.GetRequiredService<ConnectorClient>());
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

        app.MapPost(Route, HandleActivityAsync);
        return app;
    }

    private static string Describe(HostExposure exposure) =>
        exposure.IsLoopbackOnly ? "loopback only" : string.Join(", ", exposure.PublicAddresses);

    private static async Task<IResult> HandleActivityAsync(
        HttpContext http,
        [FromServices] BotFrameworkAuth auth,
        [FromServices] ServiceUrlPolicy serviceUrls,
        [FromServices] ITurnProcessor turns,
        [FromServices] IOptions<BotFrameworkOptions> options,
        [FromServices] HostExposure exposure,
        [FromServices] IOptions<TurnOptions> turnOptions,
        [FromServices] TimeProvider time,
        [FromServices] ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var logger = loggers.CreateLogger(LoggerCategory);
        var authorization = http.Request.Headers.Authorization.ToString();

        // Without a token there is nothing to check; do not read the body of an unauthenticated caller.
        if (settings.AuthenticationEnabled && string.IsNullOrWhiteSpace(authorization))
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

        ActivityPayload? activity;
        try
        {
            activity = JsonSerializer.Deserialize<ActivityPayload>(body, ActivityPayload.JsonOptions);
        }
        catch (JsonException)
        {
            activity = null;
        }

        var problem = activity is null ? "The body is not a JSON activity object." : FindProblem(activity);
        if (problem is not null)
        {
            LogBadRequest(logger, problem);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid activity", detail: problem);
        }

        // Each endpoint owns its channels: an activity naming WeCom, the local chat or the console is not one of ours.
        if (activity!.ChannelId is { Length: > 0 } channelId && !settings.EffectiveChannelIds.Contains(channelId, StringComparer.Ordinal))
        {
            LogForbidden(logger, "a channel this endpoint does not serve", channelId);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Channel not served here",
                detail: "/api/messages takes activities of the Bot Framework channels configured in BotFramework:ChannelIds only.");
        }

        var authResult = await auth.AuthenticateAsync(authorization, activity.ChannelId, activity.ServiceUrl, cancellationToken);
        if (!authResult.Succeeded)
        {
            return TypedResults.Unauthorized();
        }

        // Replies go to serviceUrl: only to Microsoft's service hosts (authenticated), or this machine (not).
        if (activity.Type is (ActivityTypes.Message or ActivityTypes.ConversationUpdate) && !serviceUrls.Allows(activity.ServiceUrl))
        {
            LogForbidden(logger, "a serviceUrl host that is not allowed", activity.ChannelId!);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Service URL not allowed",
                detail: settings.AuthenticationEnabled
                    ? "The activity's serviceUrl is not on a host in BotFramework:ServiceHosts."
                    : "Without authentication the activity's serviceUrl must be on this machine or in BotFramework:UnauthenticatedServiceHosts.");
        }

        if (activity.Type == ActivityTypes.Invoke)
        {
            // No invoke is handled: buttons are Action.Submit, which arrives as a message. The SDK answers
            // unknown invokes with 501 (protocols A.2.3).
            LogInvokeNotImplemented(logger, activity.Name ?? "");
            return TypedResults.StatusCode(StatusCodes.Status501NotImplemented);
        }

        InboundMessage? inbound;
        try
        {
            inbound = ActivityMapper.ToInbound(activity, time.GetUtcNow(), turnOptions.Value.MaxTextLength) is { } mapped
                ? mapped with { Authenticated = settings.AuthenticationEnabled }
                : null;
        }
        catch (InvalidOperationException)
        {
            // A JSON string in value, channelData or an attachment that is a lone surrogate escape ("\ud800").
            LogBadRequest(logger, InvalidUtf16);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid activity", detail: InvalidUtf16);
        }

        if (inbound is null)
        {
            LogIgnored(logger, activity.Type!, activity.ChannelId ?? "");
            return TypedResults.Ok();
        }

        LogReceived(logger, inbound.Id, inbound.Channel, inbound.Conversation.ConversationId, inbound.Text);
        var outcome = await turns.ProcessAsync(inbound, cancellationToken);
        LogProcessed(logger, inbound.Id, outcome);
        return TypedResults.Ok();
    }

    private const string InvalidUtf16 = "The activity holds a string that is not valid UTF-16 (a lone surrogate escape).";

    /// <summary><see cref="ActivityMapper.FindProblem"/>, with a lone surrogate where it reads a JSON element as a problem too.</summary>
    private static string? FindProblem(ActivityPayload activity)
    {
        try
        {
            return ActivityMapper.FindProblem(activity);
        }
        catch (InvalidOperationException)
        {
            return InvalidUtf16;
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Invoke {InvokeName} is not implemented; answered 501")]
    private static partial void LogInvokeNotImplemented(ILogger logger, string invokeName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a {ActivityType} activity from {ChannelId}")]
    private static partial void LogIgnored(ILogger logger, string activityType, string channelId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activity {MessageId} in {Channel} conversation {ConversationId}: {Text}")]
    private static partial void LogReceived(ILogger logger, string messageId, string channel, string conversationId, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activity {MessageId} processed: {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string messageId, TurnOutcome outcome);
}
