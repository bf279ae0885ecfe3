namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// An activity on <c>/api/messages</c> that is refused before anything of it is processed: thrown by the authentication
/// (401) or by <see cref="BotFrameworkAdmission"/> at the start of the SDK turn (400, 403), and turned into the HTTP answer by
/// the endpoint around <c>CloudAdapter.ProcessAsync</c> (the SDK writes its response only after the turn, so none has
/// started). An adapter <c>OnTurnError</c> must let it through.
/// </summary>
public sealed class ActivityRefusedException(int statusCode, string reason, string? title = null, string? detail = null, string? channelId = null)
    : Exception(reason)
{
    /// <summary>401, 400 or 403.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>For the log (never sent to the caller); the exception's message.</summary>
    public string Reason => Message;

    /// <summary>The problem's title and detail sent to the caller; null for a 401, which has no body.</summary>
    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The channel the activity named, for the log.</summary>
    public string ChannelId { get; } = channelId ?? "";

    public static ActivityRefusedException Unauthorized(string reason, string? channelId) => new(StatusCodes.Status401Unauthorized, reason, channelId: channelId);

    public static ActivityRefusedException BadRequest(string detail, string? channelId) =>
        new(StatusCodes.Status400BadRequest, detail, "Invalid activity", detail, channelId);

    public static ActivityRefusedException Forbidden(string reason, string title, string detail, string? channelId) =>
        new(StatusCodes.Status403Forbidden, reason, title, detail, channelId);

    /// <summary>The HTTP answer: 401 without a body, or a problem.</summary>
    public IResult ToResult() => StatusCode == StatusCodes.Status401Unauthorized
        ? TypedResults.Unauthorized()
        : TypedResults.Problem(statusCode: StatusCode, title: Title, detail: Detail);
}
