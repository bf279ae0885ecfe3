using CommunityBot.Channels.BotFramework;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// Teams (and any Bot Framework channel) serves an attachment's <c>contentUrl</c> on its service host
/// (smba…/v3/attachments/…) only with the bot's own connector token. The token goes only to a host
/// <see cref="ServiceUrlPolicy"/> allows and only when it is the host (scheme and port too) of the conversation's own
/// service URL: a photo on any other host (a Teams file's SharePoint download link, a redirect elsewhere) is fetched anonymously.
/// </summary>
public sealed class BotFrameworkMediaCredentials(
    ServiceClientCredentialsFactory credentials, ServiceUrlPolicy serviceUrls, IOptions<BotFrameworkOptions> options) : IMediaCredentials
{
    // Only Bot Framework conversations carry a service URL.
    public bool Handles(MediaItem item) => item.ServiceUrl is not null;

    public async Task AuthorizeAsync(HttpRequestMessage request, MediaItem item, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } target
            || !Uri.TryCreate(item.ServiceUrl, UriKind.Absolute, out var service)
            || !serviceUrls.Allows(service)
            || !string.Equals(service.IdnHost, target.IdnHost, StringComparison.OrdinalIgnoreCase)
            || service.Scheme != target.Scheme
            || service.Port != target.Port)
        {
            return;
        }

        var appId = options.Value.MicrosoftAppId;
        var appCredentials = await credentials.CreateCredentialsAsync(
            string.IsNullOrWhiteSpace(appId) ? null : appId, AuthenticationConstants.ToChannelFromBotOAuthScope,
            AuthenticationConstants.ToChannelFromBotLoginUrlTemplate, validateAuthority: true, cancellationToken);
        await appCredentials.ProcessHttpRequestAsync(request, cancellationToken);
    }
}
