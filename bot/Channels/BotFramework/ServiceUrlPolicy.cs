namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Which <c>serviceUrl</c>s the bot talks to: with authentication on, https hosts on <see cref="BotFrameworkOptions.ServiceHosts"/>
/// (the Connector gets the bot's token, so it must be Microsoft's); without it, loopback and
/// <see cref="BotFrameworkOptions.UnauthenticatedServiceHosts"/> only, so that an unauthenticated caller cannot make
/// the server call an address of its choosing. Checked when an activity arrives and again before every call.
/// </summary>
public sealed class ServiceUrlPolicy(BotFrameworkOptions options)
{
    private readonly bool _authenticated = options.AuthenticationEnabled;
    private readonly string[] _hosts =
    [
        .. (options.AuthenticationEnabled ? options.EffectiveServiceHosts : options.UnauthenticatedServiceHosts ?? [])
            .Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()),
    ];

    public bool Allows(string? serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) && Allows(uri);

    public bool Allows(Uri serviceUrl)
    {
        if (serviceUrl.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(serviceUrl.UserInfo))
        {
            return false;
        }

        if (_authenticated)
        {
            // The bot's token goes there: https, except to a listed loopback host (an Emulator with the bot's credentials).
            return (serviceUrl.Scheme == "https" || serviceUrl.IsLoopback) && IsListed(serviceUrl);
        }

        return serviceUrl.IsLoopback || IsListed(serviceUrl);
    }

    private bool IsListed(Uri serviceUrl) => _hosts.Any(h => Matches(h, serviceUrl.IdnHost));

    private static bool Matches(string pattern, string host)
    {
        return pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.Length > pattern.Length - 1 && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
