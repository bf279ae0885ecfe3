using System.Globalization;
using System.Text.Json;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.WebChat;

/// <summary>
/// Wiring and HTTP API of the local chat page (channel id <c>local</c>): residents post through
/// <c>POST /api/local/messages</c> into the same turn pipeline as every channel, and the page long-polls
/// the conversation's mailbox for everything said in it.
/// </summary>
public static partial class WebChatEndpoints
{
    /// <summary>The page posts a few hundred bytes; anything far larger is not a chat message.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddWebChatChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebChatOptions>()
            .BindConfiguration(WebChatOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        HostExposure.Register(builder.Services);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<WebChatMailbox>();
        builder.Services.AddSingleton<WebChatClient>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelClient, WebChatClient>(
            sp => sp.GetRequiredService<WebChatClient>()));
        return builder;
    }

    /// <summary>
    /// Serves the page (index.html, chat.css, chat.js from the web root, with "/" → index.html) and maps the API under
    /// <c>/api/local</c>, for this machine only unless <see cref="WebChatOptions.AllowRemote"/>. Serves neither when
    /// <see cref="WebChatOptions.Enabled"/> is false or the server listens beyond loopback without that opt-in.
    /// </summary>
    public static WebApplication MapWebChatEndpoints(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<WebChatOptions>>().Value;
        var exposure = app.Services.GetRequiredService<HostExposure>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebChatEndpoints));
        var served = options.Enabled && (exposure.IsLoopbackOnly || options.AllowRemote);
        if (options.Enabled && !served)
        {
            LogNotServed(logger, string.Join(", ", exposure.PublicAddresses));
        }
        else if (served && options.AllowRemote)
        {
            LogServedRemotely(logger);
        }

        // On a loopback binding a request through a proxy or from another address is not served either.
        bool Serves(HttpContext http) => served && (options.AllowRemote || HostExposure.IsLocalRequest(http));

        // The web root also holds the console's stylesheet under /admin: the console serves that itself.
        app.UseWhen(http => Serves(http) && !http.Request.Path.StartsWithSegments("/admin"), files =>
        {
            files.UseDefaultFiles();
            files.UseStaticFiles();
        });
        if (!served)
        {
            return app;
        }

        var api = app.MapGroup("/api/local").WithTags("WebChat")
            .AddEndpointFilter((context, next) => Serves(context.HttpContext) ? next(context) : ValueTask.FromResult<object?>(TypedResults.NotFound()));
        api.MapPost("/messages", PostMessageAsync);
        api.MapGet("/conversations/{conversationId}/messages", GetMessagesAsync);
        // Workers appear only when the host has a grid directory (the page works without one), and only to this machine.
        api.MapGet("/demo", (HttpContext http, IOptions<WebChatOptions> options, HostExposure exposure, IServiceProvider services) =>
            TypedResults.Ok(WebChatDemo.Describe(
                options.Value.BotName,
                exposure.IsLocal(http) && services.GetService<Directory.GridDirectory>() is { } directory ? WebChatDemo.WorkersFor(directory.Current) : [])));
        return app;
    }

    /// <summary>
    /// Whether this caller may act as <paramref name="userId"/>: anyone as a resident, only this machine as a directory
    /// worker (whose private chat carries residents' phone numbers and rooms, and who answers residents in a take-over).
    /// </summary>
    private static bool MayActAs(HttpContext http, string userId, HostExposure exposure, IServiceProvider services) =>
        exposure.IsLocal(http)
        || services.GetService<Directory.GridDirectory>()?.Current.FindWorker(Directory.WorkerChannels.WebChat, userId) is null;

    private static async Task<Results<Accepted<PostMessageResult>, ProblemHttpResult>> PostMessageAsync(
        HttpContext http,
        HostExposure exposure,
        IServiceProvider services,
        WebChatMailbox mailbox,
        ITurnProcessor turns,
        IOptions<WebChatOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        var (request, problem) = await ReadRequestAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        if (!WebChatMapper.TryMap(request!, options.Value.BotName, time.GetUtcNow(), out var inbound, out var error))
        {
            return BadRequest(error);
        }

        if (!MayActAs(http, inbound.UserId, exposure, services))
        {
            return WorkerOnlyHere();
        }

        inbound = inbound with { Authenticated = exposure.IsLocal(http) };

        // Kept before the turn runs, so every tab of the conversation sees the post even if the turn fails.
        var posted = mailbox.Append(inbound.Conversation.ConversationId, new WebChatEntry
        {
            From = WebChatSender.User,
            UserId = inbound.UserId,
            UserName = inbound.Conversation.UserName,
            Text = string.IsNullOrWhiteSpace(request!.Text) ? request.ButtonValue ?? "" : request.Text.Trim(),
            Attachments = inbound.Attachments.Select(a => new OutboundAttachment(a.ContentType, a.Url, a.Name)).ToList(),
            Addressee = inbound.IsGroup ? null : inbound.UserId,
            MessageId = inbound.Id,
        });

        // Once accepted, the turn runs to its end even if the tab closes: it may be recording a ticket.
        var outcome = await turns.ProcessAsync(inbound, lifetime.ApplicationStopping);
        LogTurn(loggerFactory.CreateLogger(typeof(WebChatEndpoints)), inbound.Id, inbound.Conversation.ConversationId, outcome);

        var conversation = Uri.EscapeDataString(inbound.Conversation.ConversationId);
        return TypedResults.Accepted(
            $"/api/local/conversations/{conversation}/messages?after={posted.Seq}",
            new PostMessageResult(JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString()), posted.Seq));
    }

    private static async Task<Results<Ok<MessagesResult>, ProblemHttpResult>> GetMessagesAsync(
        string conversationId,
        string? after,
        string? wait,
        string? userId,
        HttpContext http,
        HostExposure exposure,
        IServiceProvider services,
        WebChatMailbox mailbox,
        IOptions<WebChatOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        CancellationToken cancellationToken)
    {
        if (!WebChatMapper.IsValidId(conversationId))
        {
            return BadRequest("会话编号无效。Invalid conversationId: 1–64 characters of A–Z, a–z, 0–9, _ - : .");
        }

        if (userId is not null && !WebChatMapper.IsValidId(userId))
        {
            return BadRequest("用户编号无效。Invalid userId: 1–64 characters of A–Z, a–z, 0–9, _ - : .");
        }

        if (userId is not null && !MayActAs(http, userId, exposure, services))
        {
            return WorkerOnlyHere();
        }

        if (!TryParseQuery(after, long.MaxValue, out var watermark))
        {
            return BadRequest("after 参数须为非负整数。'after' must be a non-negative integer.");
        }

        if (!TryParseQuery(wait, int.MaxValue, out var waitSeconds))
        {
            return BadRequest("wait 参数须为非负整数（秒）。'wait' must be a non-negative whole number of seconds.");
        }

        var maxWait = TimeSpan.FromSeconds(Math.Min(waitSeconds, options.Value.MaxPollWait.TotalSeconds));
        var started = time.GetTimestamp();
        // Kestrel lets requests in flight finish before it stops: a held poll must end on shutdown,
        // or Ctrl+C on `dotnet run` hangs for as long as a page is open.
        using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        while (true)
        {
            var snapshot = mailbox.GetAfter(conversationId, watermark);
            var reset = snapshot.Watermark < watermark;
            if (reset)
            {
                // The page knows more than the mailbox does (the server restarted or dropped the
                // conversation): answer at once with all there is and the lower watermark, so the page starts over.
                snapshot = mailbox.GetAfter(conversationId, 0);
            }

            var visible = snapshot.Messages.Where(m => m.IsVisibleTo(userId)).Select(ToView).ToList();
            // Messages for someone else still move the watermark, so the page does not wait on them again.
            watermark = snapshot.Watermark;
            var remaining = maxWait - time.GetElapsedTime(started);
            if (visible.Count > 0 || reset || remaining <= TimeSpan.Zero)
            {
                return TypedResults.Ok(new MessagesResult(visible, watermark));
            }

            bool woken;
            try
            {
                woken = await mailbox.WaitForMessagesAsync(conversationId, watermark, remaining, held.Token);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                woken = false;
            }

            if (!woken)
            {
                return TypedResults.Ok(new MessagesResult([], watermark));
            }
        }
    }

    private static async Task<(WebChatMessageRequest? Request, ProblemHttpResult? Problem)> ReadRequestAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (!http.Request.HasJsonContentType())
        {
            return (null, BadRequest("请以 JSON 格式发送。The body must be JSON (Content-Type: application/json)."));
        }

        try
        {
            var request = await http.Request.ReadFromJsonAsync<WebChatMessageRequest>(http.RequestAborted);
            return request is null
                ? (null, BadRequest("请求内容为空。The body is empty or null."))
                : (request, null);
        }
        catch (JsonException)
        {
            return (null, BadRequest("请求格式不正确。The body is not a valid web chat message (malformed JSON or wrong field types)."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (InvalidOperationException)
        {
            // The content type names a charset the JSON reader cannot take (charset=utf-7 throws NotSupportedException inside).
            return (null, TypedResults.Problem(
                "请以 UTF-8 编码发送。The body must be UTF-8 JSON (send no charset, or charset=utf-8).",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Invalid web chat request"));
        }
    }

    private static bool TryParseQuery(string? value, long max, out long result)
    {
        result = 0;
        return string.IsNullOrEmpty(value)
            || (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result <= max);
    }

    private static MessageView ToView(WebChatEntry entry) => new(
        entry.Seq,
        entry.From == WebChatSender.Bot ? "bot" : "user",
        entry.UserId,
        entry.UserName,
        entry.Text,
        entry.Title,
        entry.Buttons,
        entry.At,
        entry.Attachments.Select(a => new ImageView(a.Url, a.Name)).ToList());

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid web chat request");

    private static ProblemHttpResult WorkerOnlyHere() => TypedResults.Problem(
        "工作人员身份只能在运行本服务的电脑上使用。A directory worker's identity is only available on the machine the bot runs on.",
        statusCode: StatusCodes.Status403Forbidden,
        title: "Worker identity not available here");

    private static ProblemHttpResult TooLarge() =>
        BadRequest($"请求过大：最多 {MaxBodyBytes / 1024} KB。The request body is too large: at most {MaxBodyBytes / 1024} KB.");

    [LoggerMessage(Level = LogLevel.Information, Message = "The local chat page is not served: the server listens on {Addresses}. " +
        "Open it on a loopback binding (Urls http://localhost:3978), or set WebChat:AllowRemote=true to serve it there")]
    private static partial void LogNotServed(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebChat:AllowRemote is on: the local chat page and its API are served to every caller " +
        "who reaches the server, unauthenticated (as residents only)")]
    private static partial void LogServedRemotely(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Web chat message {MessageId} in {ConversationId}: {Outcome}")]
    private static partial void LogTurn(ILogger logger, string messageId, string conversationId, TurnOutcome outcome);

    /// <summary>The body of a 202 from <c>POST /api/local/messages</c>: what the pipeline did, and the post's sequence number.</summary>
    public sealed record PostMessageResult(string Outcome, long Watermark);

    /// <summary>The body of a long poll: the messages the caller may read, and where to continue from.</summary>
    public sealed record MessagesResult(IReadOnlyList<MessageView> Messages, long Watermark);

    /// <summary>One message as the page renders it.</summary>
    public sealed record MessageView(
        long Seq, string From, string UserId, string UserName, string Text, string? Title, IReadOnlyList<CardAction> Buttons, DateTimeOffset At,
        IReadOnlyList<ImageView> Images);

    /// <summary>A picture of a message: its http(s) address and an optional caption.</summary>
    public sealed record ImageView(string Url, string? Name);
}
