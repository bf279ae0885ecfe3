using System.Globalization;
using System.Text;
using System.Text.Json;
using CommunityBot.Conversation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// Wiring and HTTP entry point of the WeCom 智能机器人 callback: <c>GET /api/wecom</c> (URL verification) and
/// <c>POST /api/wecom</c> (encrypted JSON messages and events).
/// </summary>
/// <remarks>
/// Replies go out through the durable outbox and the callback's <c>response_url</c>, not in the HTTP response:
/// the pipeline commits the replies before we answer, so a reply survives a dropped connection or a restart and is
/// retried, while a passive reply lost with its HTTP response would be gone (a redelivered callback is deduplicated
/// and answers nothing). We answer every callback at once with an empty body, which also closes the interaction
/// quickly (WeCom allows ≤3 in flight per user, B.1.1) instead of holding it open with a stream for minutes.
/// </remarks>
public static partial class WeComEndpoints
{
    public const string Route = "/api/wecom";

    private const string LoggerCategory = "CommunityBot.Channels.WeCom.WeComEndpoints";

    /// <summary>Registers the options, the crypto (when configured) and the WeCom client (also as an <see cref="IChannelClient"/>).</summary>
    public static IHostApplicationBuilder AddWeComChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WeComOptions>()
            .BindConfiguration(WeComOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WeComAccessTokenCache>();
        builder.Services.AddSingleton<WeComSendLedger>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WeComOptions>>().Value;
            return new WeComCallbackKeys(options.Enabled
                ? new WeComCrypto(options.Token!, options.EncodingAESKey!, options.ReceiveId)
                : null);
        });
        builder.Services.AddHttpClient<WeComClient>();
        builder.Services.AddTransient<IChannelClient>(sp => sp.GetRequiredService<WeComClient>());
        return builder;
    }

    /// <summary>Maps <c>GET</c> and <c>POST /api/wecom</c>.</summary>
    public static IEndpointRouteBuilder MapWeComEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, VerifyUrl);
        app.MapPost(Route, HandleCallbackAsync);
        return app;
    }

    private static IResult VerifyUrl(
        [FromQuery(Name = "msg_signature")] string? signature,
        [FromQuery] string? timestamp,
        [FromQuery] string? nonce,
        [FromQuery] string? echostr,
        [FromServices] WeComCallbackKeys keys,
        [FromServices] IOptions<WeComOptions> options,
        [FromServices] TimeProvider time,
        [FromServices] ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(LoggerCategory);
        if (keys.Crypto is not { } crypto)
        {
            return NotConfigured();
        }

        // ASP.NET Core has already URL-decoded the query ("否则会验证不成功", B.1.2).
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(echostr))
        {
            LogBadRequest(logger, "missing timestamp, nonce or echostr");
            return BadRequest("msg_signature, timestamp, nonce and echostr are required.");
        }

        var error = crypto.TryOpen(signature, timestamp, nonce, echostr, out var plain);
        if (error == WeComCryptoError.InvalidSignature)
        {
            LogUnauthorized(logger, "URL verification");
            return TypedResults.Unauthorized();
        }

        if (error != WeComCryptoError.None)
        {
            LogBadRequest(logger, error.ToString());
            return BadRequest($"echostr could not be decrypted ({error}).");
        }

        if (FindStaleTimestamp(timestamp, time.GetUtcNow(), options.Value.ReplayWindow, logger, "URL verification") is { } stale)
        {
            return stale;
        }

        // The plaintext exactly: no quotes, no BOM, no newline (B.1.2). Bytes, so nothing re-encodes it.
        return TypedResults.Bytes(plain, "text/plain");
    }

    private static async Task<IResult> HandleCallbackAsync(
        HttpContext http,
        [FromQuery(Name = "msg_signature")] string? signature,
        [FromQuery] string? timestamp,
        [FromQuery] string? nonce,
        [FromServices] WeComCallbackKeys keys,
        [FromServices] IOptions<WeComOptions> options,
        [FromServices] IOptions<TurnOptions> turnOptions,
        [FromServices] ITurnProcessor turns,
        [FromServices] TimeProvider time,
        [FromServices] ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LoggerCategory);
        if (keys.Crypto is not { } crypto)
        {
            return NotConfigured();
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce))
        {
            LogBadRequest(logger, "missing timestamp or nonce");
            return BadRequest("msg_signature, timestamp and nonce are required in the query.");
        }

        var settings = options.Value;
        var body = await ReadBodyAsync(http.Request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            LogBadRequest(logger, "body too large");
            return BadRequest($"The request body is larger than {settings.MaxBodyBytes} bytes.");
        }

        var encrypt = ReadEncrypt(body);
        if (encrypt is null)
        {
            LogBadRequest(logger, "no encrypt field");
            return BadRequest("The body must be a JSON object {\"encrypt\": \"…\"}.");
        }

        var error = crypto.TryOpen(signature, timestamp, nonce, encrypt, out var plain);
        if (error == WeComCryptoError.InvalidSignature)
        {
            LogUnauthorized(logger, "callback");
            return TypedResults.Unauthorized();
        }

        if (error != WeComCryptoError.None)
        {
            LogBadRequest(logger, error.ToString());
            return BadRequest($"The callback could not be decrypted ({error}).");
        }

        if (FindStaleTimestamp(timestamp, time.GetUtcNow(), settings.ReplayWindow, logger, "callback") is { } stale)
        {
            return stale;
        }

        if (!WeComMessageMapper.TryMap(plain, settings.BotName, time.GetUtcNow(), out var inbound, out var problem, turnOptions.Value.MaxTextLength))
        {
            LogBadRequest(logger, problem!);
            return BadRequest(problem!);
        }

        if (inbound is null)
        {
            LogIgnored(logger);
            return TypedResults.Ok(); // an empty reply: "可以选择直接回复空包" (B.1.3)
        }

        LogReceived(logger, inbound.Id, inbound.Conversation.ConversationId, inbound.Text);
        // The callback's signature was verified above.
        var outcome = await turns.ProcessAsync(inbound with { Authenticated = true }, cancellationToken);
        LogProcessed(logger, inbound.Id, outcome);
        return TypedResults.Ok();
    }

    /// <summary>
    /// Refuses a signed request whose timestamp is further than <paramref name="window"/> from <paramref name="now"/>
    /// (WeCom sends its current Unix time): a captured callback replayed later must not run again once the dedupe has
    /// forgotten its msgid. Checked after the signature, so only a caller who knows the Token learns about the window.
    /// </summary>
    private static IResult? FindStaleTimestamp(string timestamp, DateTimeOffset now, TimeSpan window, ILogger logger, string what)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            LogBadRequest(logger, "timestamp is not Unix seconds");
            return BadRequest("timestamp must be the Unix time in seconds.");
        }

        var skew = now.ToUnixTimeSeconds() - seconds;
        if (Math.Abs(skew) <= (long)window.TotalSeconds)
        {
            return null;
        }

        LogStale(logger, what, skew);
        return BadRequest(
            $"The timestamp is {skew} s away from the server's clock, outside the ±{window.TotalSeconds:0} s replay window (WeCom:ReplayWindow): a replayed callback, or a server clock that is off.");
    }

    private static string? ReadEncrypt(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("encrypt", out var encrypt) &&
                   encrypt.ValueKind == JsonValueKind.String
                ? encrypt.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a lone surrogate escape ("\ud800") cannot become a .NET string.
            return null;
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
        var chunk = new byte[8 * 1024];
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

    private static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid WeCom callback", detail: detail);

    private static IResult NotConfigured() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "WeCom channel not configured",
            detail: "Set the environment variables WeCom__Token and WeCom__EncodingAESKey to enable /api/wecom.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom {What} rejected with 401: bad msg_signature")]
    private static partial void LogUnauthorized(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom request rejected with 400: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom {What} refused: its timestamp is {Skew} s from our clock, outside the replay window (a replay, or a clock that is off)")]
    private static partial void LogStale(ILogger logger, string what, long skew);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WeCom callback with nothing to process (stream refresh, feedback or unknown type)")]
    private static partial void LogIgnored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WeCom message {MessageId} in {ConversationId}: {Text}")]
    private static partial void LogReceived(ILogger logger, string messageId, string conversationId, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WeCom message {MessageId} processed: {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string messageId, Conversation.TurnOutcome outcome);
}
