using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Client-credentials tokens for the Connector from Microsoft Entra ID through MSAL. One application
/// instance for the whole process: MSAL keeps the token in that instance's cache and only goes back to
/// the token endpoint when it is close to expiry.
/// </summary>
public sealed class MsalConnectorTokenProvider : IConnectorTokenProvider
{
    public const string Scope = "https://api.botframework.com/.default";
    public const string DefaultTenant = "botframework.com";

    private static readonly string[] s_scopes = [Scope];

    private readonly IConfidentialClientApplication? _app;

    public MsalConnectorTokenProvider(IOptions<BotFrameworkOptions> options)
    {
        var settings = options.Value;
        if (!settings.AuthenticationEnabled)
        {
            return; // Emulator without credentials: no Authorization header goes out (A.3.3).
        }

        var tenant = string.IsNullOrWhiteSpace(settings.MicrosoftAppTenantId) ? DefaultTenant : settings.MicrosoftAppTenantId;
        _app = ConfidentialClientApplicationBuilder.Create(settings.MicrosoftAppId)
            .WithClientSecret(settings.MicrosoftAppPassword)
            .WithAuthority($"https://login.microsoftonline.com/{tenant}")
            .Build();
    }

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return null;
        }

        var result = await _app.AcquireTokenForClient(s_scopes).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return result.AccessToken;
    }
}
