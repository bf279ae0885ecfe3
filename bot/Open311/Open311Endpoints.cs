using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CommunityBot.Channels;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Directory;
using CommunityBot.Tickets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Open311;

/// <summary>
/// The Open311 GeoReport v2 API under <c>/open311/v2/</c> (https://wiki.open311.org/GeoReport_v2/): the service list
/// and definitions (our grievance categories), service requests (our tickets) listed with the spec's filters, one by
/// id, and created by POST with an API key through the same ticket desk as the chat channels.
/// </summary>
public static partial class Open311Endpoints
{
    public const string BasePath = "/open311/v2";

    public static IHostApplicationBuilder AddOpen311(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Open311Options>()
            .BindConfiguration(Open311Options.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Open311SubmissionStore>();
        builder.Services.AddSingleton<Open311RateLimiter>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelClient, Open311ChannelClient>());
        return builder;
    }

    /// <summary>Maps the endpoints; does nothing when <see cref="Open311Options.Enabled"/> is false.</summary>
    public static WebApplication MapOpen311Endpoints(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<Open311Options>>().Value.Enabled)
        {
            return app;
        }

        // The format is the path's extension, as the spec writes it: services.json, requests/WT20261123-0001.xml.
        var api = app.MapGroup(BasePath).WithTags("Open311");
        api.MapGet("/services.{format}", GetServices);
        api.MapGet("/services/{code}.{format}", GetDefinition);
        api.MapGet("/requests.{format}", GetRequests);
        api.MapPost("/requests.{format}", PostRequestAsync);
        api.MapGet("/requests/{id}.{format}", GetRequest);
        return app;
    }

    private static IResult GetServices(string format, HttpContext http, IOptions<Open311Options> options)
    {
        if (Check(format, http.Request.Query["jurisdiction_id"], options.Value, out var fmt) is { } problem)
        {
            return problem;
        }

        return Open311Writer.Services(fmt, Open311Services.All);
    }

    private static IResult GetDefinition(string code, string format, HttpContext http, IOptions<Open311Options> options)
    {
        if (Check(format, http.Request.Query["jurisdiction_id"], options.Value, out var fmt) is { } problem)
        {
            return problem;
        }

        // Our services have metadata=false; the spec leaves the definition optional then. A known code gets an
        // empty definition (clients need not special-case it), an unknown one 404.
        return Open311Services.FindByCode(code) is { } service
            ? Open311Writer.Definition(fmt, service)
            : Open311Writer.Error(fmt, StatusCodes.Status404NotFound, $"没有这个 service_code：{code}。service_code '{code}' was not found.");
    }

    private static IResult GetRequest(
        string id, string format, HttpContext http, TicketStore tickets, Open311SubmissionStore submissions, GridDirectory directory,
        IOptions<Open311Options> options, IOptions<TicketOptions> ticketOptions)
    {
        if (Check(format, http.Request.Query["jurisdiction_id"], options.Value, out var fmt) is { } problem)
        {
            return problem;
        }

        var ticket = tickets.Find(id);
        if (ticket is null)
        {
            return Open311Writer.Error(fmt, StatusCodes.Status404NotFound, $"找不到服务请求 {id}。Service request '{id}' was not found.");
        }

        // The spec answers a single request as a list of one.
        return Open311Writer.Requests(fmt, [ToServiceRequest(ticket, submissions, directory.Current, ticketOptions.Value.UtcOffset)]);
    }

    private static IResult GetRequests(
        string format, HttpContext http, TicketStore tickets, Open311SubmissionStore submissions, GridDirectory directory,
        IOptions<Open311Options> options, IOptions<TicketOptions> ticketOptions, TimeProvider time)
    {
        var o = options.Value;
        var query = http.Request.Query;
        if (Check(format, query["jurisdiction_id"], o, out var fmt) is { } problem)
        {
            return problem;
        }

        var offset = ticketOptions.Value.UtcOffset;
        var snapshot = directory.Current;
        IEnumerable<Ticket> found;
        if (List(query["service_request_id"]) is { Count: > 0 } ids)
        {
            // service_request_id overrides every other filter (spec); unknown ids are simply absent.
            if (ids.Count > o.MaxResults)
            {
                return Open311Writer.Error(fmt, StatusCodes.Status400BadRequest, $"一次最多查询 {o.MaxResults} 个编号。At most {o.MaxResults} service_request_id values.");
            }

            found = ids.Distinct(StringComparer.Ordinal).Select(tickets.Find).OfType<Ticket>();
        }
        else
        {
            var errors = new List<Open311Error>();
            var statuses = List(query["status"]);
            if (statuses.FirstOrDefault(s => s is not (ServiceRequestMapper.Open or ServiceRequestMapper.Closed)) is { } badStatus)
            {
                errors.Add(new Open311Error(400, $"status 只能是 open 或 closed，收到 {badStatus}。status must be 'open' or 'closed'."));
            }

            var codes = List(query["service_code"]);
            if (codes.FirstOrDefault(c => Open311Services.FindByCode(c) is null) is { } badCode)
            {
                errors.Add(new Open311Error(400, $"没有这个 service_code：{badCode}。service_code '{badCode}' was not found."));
            }

            var start = Date("start_date", query["start_date"], offset, errors);
            var end = Date("end_date", query["end_date"], offset, errors);
            var now = time.GetUtcNow();
            var to = end ?? (start is { } s && s + o.DefaultWindow < now ? s + o.DefaultWindow : now);
            var from = start ?? to - o.DefaultWindow;
            if (errors.Count == 0 && from > to)
            {
                errors.Add(new Open311Error(400, "start_date 晚于 end_date。start_date is after end_date."));
            }
            else if (errors.Count == 0 && to - from > o.DefaultWindow)
            {
                errors.Add(new Open311Error(400, $"查询范围不能超过 {o.DefaultWindow.TotalDays:0} 天。The range may not span more than {o.DefaultWindow.TotalDays:0} days."));
            }

            if (errors.Count > 0)
            {
                return Open311Writer.Errors(fmt, StatusCodes.Status400BadRequest, errors);
            }

            var wantedCodes = codes.Select(c => Open311Services.FindByCode(c)!.Code).ToHashSet(StringComparer.Ordinal);
            found = tickets.CreatedBetween(from.UtcDateTime, to.UtcDateTime)
                .Where(t => statuses.Count == 0 || statuses.Contains(ServiceRequestMapper.StatusOf(t)))
                .Where(t => wantedCodes.Count == 0 || wantedCodes.Contains(Open311Services.ForCategory(t.Category).Code));
        }

        var page = found.Take(o.MaxResults).ToList();
        return Open311Writer.Requests(fmt, page.Select(t => ToServiceRequest(t, submissions, snapshot, offset)));
    }

    private static async Task<IResult> PostRequestAsync(
        string format,
        HttpContext http,
        TicketDesk desk,
        Open311RateLimiter limiter,
        IDetailExtractor extractor,
        IOptions<Open311Options> options,
        IOptions<TicketOptions> ticketOptions,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        var o = options.Value;
        var logger = loggerFactory.CreateLogger(typeof(Open311Endpoints));
        if (!Open311Writer.TryParseFormat(format, out var fmt))
        {
            return BadFormat(format);
        }

        if (http.Request.ContentLength > o.MaxBodyBytes)
        {
            return Open311Writer.Error(fmt, StatusCodes.Status413PayloadTooLarge, $"请求体超过 {o.MaxBodyBytes} 字节。The body is larger than {o.MaxBodyBytes} bytes.");
        }

        // The spec's POST is urlencoded only: a multipart type over such a body would fail deep in the form reader.
        if (!(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
              && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            return Open311Writer.Error(fmt, StatusCodes.Status400BadRequest,
                "请用表单提交（application/x-www-form-urlencoded）。POST requests must be application/x-www-form-urlencoded.");
        }

        if (!Hosting.FormCharset.IsUtf8(http.Request))
        {
            return Open311Writer.Error(fmt, StatusCodes.Status415UnsupportedMediaType,
                "表单须为 UTF-8 编码。The form must be UTF-8: send no charset, or charset=utf-8.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = o.MaxBodyBytes;
        }

        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions
        {
            ValueCountLimit = 64,
            KeyLengthLimit = 256,
            ValueLengthLimit = o.MaxBodyBytes,
            MultipartBodyLengthLimit = o.MaxBodyBytes,
        }));
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Open311Writer.Error(fmt, e is BadHttpRequestException { StatusCode: 413 } ? 413 : 400, "表单无法读取或过大。The form could not be read or is too large.");
        }

        string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
        var key = Field("api_key") ?? http.Request.Query["api_key"].ToString();
        var client = KeyId(key);
        if (!IsValidKey(key, o.ApiKeys))
        {
            var remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
            LogBadKey(logger, remote);
            // Wrong keys count against the caller's address too, so keys cannot be guessed at full speed.
            if (!limiter.TryAcquire("refused:" + remote, out var wait))
            {
                return TooMany(http, fmt, wait);
            }

            return Open311Writer.Error(fmt, StatusCodes.Status403Forbidden, "api_key 无效或缺失。Invalid or missing api_key: can't create the request.");
        }

        if (!limiter.TryAcquire(client, out var retryAfter))
        {
            LogRateLimited(logger, client);
            return TooMany(http, fmt, retryAfter);
        }

        if (Check(format, Field("jurisdiction_id"), o, out _) is { } problem)
        {
            return problem;
        }

        var at = time.GetUtcNow();
        var errors = ServiceRequestForm.Parse(Field, o, extractor, at, out var posted);
        if (posted is null)
        {
            return Open311Writer.Errors(fmt, errors.All(e => e.Code == 404) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, errors);
        }

        // Once accepted the request is filed to the end even if the client hangs up. A new ticket, its worker card and
        // the request's extras (lat/long, media, email) are one write; a +1 on an open ticket keeps no extras.
        var receipt = await desk.FileAsync(posted.Report, at, (_, write) => write.KeepServiceRequest(posted.Submission), lifetime.ApplicationStopping);

        LogFiled(logger, receipt.Number, posted.Service.Code, client, receipt.JoinedExisting);
        var minutes = (int)Math.Round(ticketOptions.Value.SignDeadline.TotalMinutes);
        var notice = receipt.JoinedExisting
            ? $"同一位置的同类问题已有工单 {receipt.Number}，已合并办理（共 {receipt.Supporters} 人反映）。"
            : $"已受理，由{receipt.ResponsibleName}负责，{minutes}分钟内响应。";
        return Open311Writer.Created(fmt, receipt.Number, notice);
    }

    private static IResult TooMany(HttpContext http, Open311Format fmt, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Open311Writer.Error(fmt, StatusCodes.Status429TooManyRequests, "提交太频繁，请稍后再试。Too many requests: retry after the Retry-After header's seconds.");
    }

    private static ServiceRequest ToServiceRequest(Ticket ticket, Open311SubmissionStore submissions, DirectorySnapshot directory, TimeSpan offset) =>
        ServiceRequestMapper.FromTicket(ticket, submissions.Find(ticket.Number), AgencyOf(ticket, directory), offset);

    /// <summary>The grid, community or street office the ticket sits with, by its level in the ladder.</summary>
    private static string AgencyOf(Ticket ticket, DirectorySnapshot directory)
    {
        var grid = ticket.GridId is null ? null : directory.Grids.GetValueOrDefault(ticket.GridId);
        var communityId = grid?.Community ?? (ticket.CompoundId is null ? null : directory.Compounds.GetValueOrDefault(ticket.CompoundId)?.Community);
        var community = communityId is null ? null : directory.Communities.GetValueOrDefault(communityId);
        return ticket.Level switch
        {
            TicketLevel.Grid when grid is not null => grid.Name,
            TicketLevel.Grid or TicketLevel.Community when community is not null => community.Name,
            _ => directory.Data.StreetOffice.Name,
        };
    }

    /// <summary>Checks the extension and jurisdiction_id; null when both are fine.</summary>
    private static IResult? Check(string format, string? jurisdiction, Open311Options options, out Open311Format fmt)
    {
        if (!Open311Writer.TryParseFormat(format, out fmt))
        {
            return BadFormat(format);
        }

        if (!string.IsNullOrEmpty(jurisdiction) && !string.Equals(jurisdiction, options.JurisdictionId, StringComparison.OrdinalIgnoreCase))
        {
            return Open311Writer.Error(fmt, StatusCodes.Status404NotFound,
                $"本接口只服务 jurisdiction_id={options.JurisdictionId}。This endpoint serves jurisdiction_id '{options.JurisdictionId}' only.");
        }

        return null;
    }

    private static IResult BadFormat(string format) => Open311Writer.Error(Open311Format.Json, StatusCodes.Status404NotFound,
        $"不支持的格式 .{format}，请用 .json 或 .xml。Unknown format '.{format}': use .json or .xml.");

    private static bool IsValidKey(string? key, List<string> keys)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(key);
        var ok = false;
        foreach (var candidate in keys.Where(k => k.Length > 0))
        {
            // Constant-time per key, and every key compared, so timing tells nothing about which one is close.
            ok |= CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(candidate));
        }

        return ok;
    }

    /// <summary>A short, non-reversible name for an API key, for logs and rate limits (never log the key).</summary>
    private static string KeyId(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12].ToLowerInvariant();

    private static List<string> List(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    /// <summary>A W3C datetime; without an offset it is read in the office's time zone.</summary>
    private static DateTimeOffset? Date(string name, string? raw, TimeSpan officeOffset, List<Open311Error> errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        raw = raw.Trim();
        if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            errors.Add(new Open311Error(400, $"{name} 不是 ISO 8601 时间，例如 2026-11-23T08:00:00+08:00。{name} must be a W3C datetime such as 2026-11-23T08:00:00+08:00."));
            return null;
        }

        return HasOffset().IsMatch(raw) ? value : new DateTimeOffset(value.DateTime, officeOffset);
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 request filed as ticket {TicketNumber} ({ServiceCode}) by client {Client}; joined an open ticket: {Joined}")]
    private static partial void LogFiled(ILogger logger, string ticketNumber, string serviceCode, string client, bool joined);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open311 POST from {RemoteAddress} refused: invalid or missing api_key")]
    private static partial void LogBadKey(ILogger logger, string remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open311 client {Client} is over its rate limit")]
    private static partial void LogRateLimited(ILogger logger, string client);
}
