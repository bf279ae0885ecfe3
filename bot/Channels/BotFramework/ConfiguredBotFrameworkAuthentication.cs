using System.Security.Claims;
using Microsoft.Bot.Builder.Skills;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.IdentityModel.Tokens;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Bot Builder's <see cref="BotFrameworkAuthentication"/> for this bot, built from <c>BotFramework:*</c>: the SDK's
/// parameterized public-cloud authentication (<see cref="BotFrameworkAuthenticationFactory"/>) validates every incoming
/// token — Bot Connector tokens (issuer, audience = the app id, lifetime, signing key from the OpenID metadata and its
/// channel endorsement, the <c>serviceurl</c> claim against the activity) and Emulator tokens (the bot's own app id) — and
/// its credentials factory signs the replies (multi-tenant through botframework.com, single-tenant through
/// <see cref="BotFrameworkOptions.MicrosoftAppTenantId"/>). Around it, only what the SDK does per turn that need not be:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The connector of a turn or a delivery comes from <see cref="SharedConnectorFactory"/> (one per service URL, not one per
/// turn), the <see cref="UserTokenClient"/> is made once (<see cref="SharedUserTokenClient"/>).</item>
/// <item>The OpenID metadata and signing keys are fetched through this host's <see cref="IHttpClientFactory"/>: the SDK keeps
/// one configuration manager per metadata URL for the whole process (JwtTokenExtractor's cache), made by the first
/// extractor asked for that URL, so one made here at start-up with our HttpClient is the one every validation uses. The keys
/// are cached there (refreshed after 12 hours), never fetched per turn; tests serve their own keys the same way.</item>
/// <item>A token the SDK refuses (its UnauthorizedAccessException, or an IdentityModel exception it lets through for a bad
/// signature or a malformed token) becomes an <see cref="ActivityRefusedException"/> 401, whose reason the endpoint logs as a warning,
/// where CloudAdapter would log an error with a stack trace, or answer 500.</item>
/// </list>
/// </remarks>
public sealed class ConfiguredBotFrameworkAuthentication : BotFrameworkAuthentication
{
    private readonly BotFrameworkAuthentication _sdk;

    public ConfiguredBotFrameworkAuthentication(
        BotFrameworkOptions options,
        ServiceClientCredentialsFactory credentials,
        IHttpClientFactory httpClients,
        ServiceUrlPolicy serviceUrls,
        ILogger<ConfiguredBotFrameworkAuthentication> logger)
    {
        var metadataHttp = httpClients.CreateClient(BotFrameworkEndpoints.AuthHttpClientName);
        UseForMetadata(options.OpenIdMetadataUrl, metadataHttp);
        UseForMetadata(options.EmulatorOpenIdMetadataUrl, metadataHttp);

        _sdk = BotFrameworkAuthenticationFactory.Create(
            channelService: null,
            validateAuthority: true,
            toChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrlTemplate,
            toChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            toBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
            oAuthUrl: AuthenticationConstants.OAuthUrl,
            toBotFromChannelOpenIdMetadataUrl: options.OpenIdMetadataUrl,
            toBotFromEmulatorOpenIdMetadataUrl: options.EmulatorOpenIdMetadataUrl,
            callerId: CallerIdConstants.PublicAzureChannel,
            credentialFactory: credentials,
            authConfiguration: AuthenticationConfigurationFor(options),
            httpClientFactory: new NamedHttpClientFactory(httpClients, BotFrameworkEndpoints.ConnectorHttpClientName),
            logger: logger);

        var appId = string.IsNullOrWhiteSpace(options.MicrosoftAppId) ? null : options.MicrosoftAppId;
        Connectors = new SharedConnectorFactory(appId, credentials, httpClients, BotFrameworkEndpoints.ConnectorHttpClientName, serviceUrls);
        var identity = new ClaimsIdentity([new Claim(AuthenticationConstants.AudienceClaim, appId ?? "")]);
        UserTokens = new SharedUserTokenClient(() => _sdk.CreateUserTokenClientAsync(identity, CancellationToken.None));
    }

    /// <summary>The connectors every turn and delivery uses.</summary>
    public SharedConnectorFactory Connectors { get; }

    public SharedUserTokenClient UserTokens { get; }

    public override async Task<AuthenticateRequestResult> AuthenticateRequestAsync(Activity activity, string authHeader, CancellationToken cancellationToken)
    {
        AuthenticateRequestResult result;
        try
        {
            result = await _sdk.AuthenticateRequestAsync(activity, authHeader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            throw ActivityRefusedException.Unauthorized(Describe(ex), activity.ChannelId);
        }

        result.ConnectorFactory = Connectors;
        return result;
    }

    public override Task<AuthenticateRequestResult> AuthenticateStreamingRequestAsync(string authHeader, string channelIdHeader, CancellationToken cancellationToken) =>
        throw ActivityRefusedException.Unauthorized("streaming connections are not served", channelIdHeader);

    public override ConnectorFactory CreateConnectorFactory(ClaimsIdentity claimsIdentity) => Connectors;

    public override Task<UserTokenClient> CreateUserTokenClientAsync(ClaimsIdentity claimsIdentity, CancellationToken cancellationToken) =>
        Task.FromResult<UserTokenClient>(UserTokens);

    public override string GetOriginatingAudience() => _sdk.GetOriginatingAudience();

    public override Task<ClaimsIdentity> AuthenticateChannelRequestAsync(string authHeader, CancellationToken cancellationToken) =>
        _sdk.AuthenticateChannelRequestAsync(authHeader, cancellationToken);

    public override BotFrameworkClient CreateBotFrameworkClient() => _sdk.CreateBotFrameworkClient();

    /// <summary>
    /// A single-tenant bot's Emulator tokens come from its own tenant: only the configured tenant's issuers are added to the
    /// Bot Framework ones the SDK trusts. No claims validator: the SDK then refuses every skill token, and this bot is no skill.
    /// </summary>
    private static AuthenticationConfiguration AuthenticationConfigurationFor(BotFrameworkOptions options)
    {
        var configuration = new AuthenticationConfiguration();
        if (!string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
        {
            configuration.ValidTokenIssuers =
            [
                string.Format(System.Globalization.CultureInfo.InvariantCulture, AuthenticationConstants.ValidTokenIssuerUrlTemplateV1, options.MicrosoftAppTenantId),
                string.Format(System.Globalization.CultureInfo.InvariantCulture, AuthenticationConstants.ValidTokenIssuerUrlTemplateV2, options.MicrosoftAppTenantId),
            ];
        }

        return configuration;
    }

    /// <summary>Makes the SDK's process-wide configuration manager for <paramref name="metadataUrl"/> use <paramref name="http"/> (see remarks).</summary>
    private static void UseForMetadata(string metadataUrl, HttpClient http) =>
        _ = new JwtTokenExtractor(http, new TokenValidationParameters(), metadataUrl, AuthenticationConstants.AllowedSigningAlgorithms);

    // The SDK refuses with UnauthorizedAccessException; a bad signature, an unknown key or a token that is not yet valid
    // come through as IdentityModel's SecurityTokenException, a malformed token as an ArgumentException. Anything else
    // (the metadata cannot be fetched) is the server's problem, not the caller's: left to answer 500, which the
    // Connector retries.
    private static bool IsRefusal(Exception ex) => ex is UnauthorizedAccessException or SecurityTokenException or ArgumentException;

    // IdentityModel hides PII in its messages; the type names say enough for the log.
    private static string Describe(Exception ex) => ex switch
    {
        UnauthorizedAccessException => ex.Message,
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenExpiredException => "token expired",
        SecurityTokenSignatureKeyNotFoundException => "signed by an unknown key",
        SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenInvalidAlgorithmException => "signing algorithm not allowed",
        SecurityTokenException => ex.GetType().Name,
        _ => "the bearer token is not a JWT",
    };

    /// <summary>The SDK asks for an unnamed client; this hands it the named one the host configures (and tests replace).</summary>
    private sealed class NamedHttpClientFactory(IHttpClientFactory inner, string name) : IHttpClientFactory
    {
        public HttpClient CreateClient(string _) => inner.CreateClient(name);
    }
}
