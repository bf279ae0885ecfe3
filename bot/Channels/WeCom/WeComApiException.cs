namespace CommunityBot.Channels.WeCom;

/// <summary>
/// WeCom refused a call with an errcode that a retry will not fix soon (configuration, permissions,
/// recipients). The message names the API and the errcode, never the text that was being sent.
/// </summary>
public sealed class WeComApiException(string api, int errorCode, string message) : Exception(message)
{
    public string Api { get; } = api;

    /// <summary>WeCom's errcode (protocols B.3), e.g. 60020 when the server IP is not a 企业可信IP.</summary>
    public int ErrorCode { get; } = errorCode;
}
