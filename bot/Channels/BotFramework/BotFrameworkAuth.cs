using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// Checks the bearer token on <c>POST /api/messages</c>: a Bot Connector token (protocols A.3.1) or one the
/// Bot Framework Emulator minted with the bot's own credentials (A.3.3). With no app id configured every
/// request is accepted, as the Emulator expects of a bot that runs without credentials.
/// </summary>
public sealed partial class BotFrameworkAuth
{
    /// <summary>Name of the HttpClient that fetches the OpenID metadata and keys.</summary>
    public const string HttpClientName = "BotFrameworkAuth";

    public const string ChannelIssuer = "https://api.botframework.com";

    private const string ServiceUrlClaim = "serviceurl";

    // Issuers of Emulator tokens in the public cloud: the Bot Framework tenants, v1 and v2 tokens [SDK:EmulatorValidation.cs].
    private static readonly string[] s_emulatorIssuers =
    [
        "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
        "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
        "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
        "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
    ];

    private static readonly string[] s_signingAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private static readonly TimeSpan s_clockSkew = TimeSpan.FromMinutes(5);

    private readonly BotFrameworkOptions _options;
    private readonly ILogger<BotFrameworkAuth> _logger;
    private readonly ConfigurationManager<BotFrameworkSigningConfiguration> _channelKeys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _emulatorKeys;
    private readonly HashSet<string> _emulatorIssuers;
    private readonly JsonWebTokenHandler _tokens = new() { MapInboundClaims = false };

    public BotFrameworkAuth(IOptions<BotFrameworkOptions> options, HttpClient http, ILogger<BotFrameworkAuth> logger)
    {
        _options = options.Value;
        _logger = logger;

        // The connector asks bots to refresh the key document at least every 24 hours; 12 hours is the
        // library default and is kept. A token signed with a key we do not know asks for an earlier refresh.
        var documents = new HttpDocumentRetriever(http) { RequireHttps = true };
        _channelKeys = new ConfigurationManager<BotFrameworkSigningConfiguration>(
            _options.OpenIdMetadataUrl, new BotFrameworkSigningConfigurationRetriever(), documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
        };
        _emulatorKeys = new ConfigurationManager<OpenIdConnectConfiguration>(
            _options.EmulatorOpenIdMetadataUrl, new OpenIdConnectConfigurationRetriever(), documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
        };

        _emulatorIssuers = new HashSet<string>(s_emulatorIssuers, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(_options.MicrosoftAppTenantId))
        {
            // A single-tenant bot's Emulator tokens come from its own tenant. Only the configured tenant is
            // trusted here, where the SDK takes any tid from the token.
            _emulatorIssuers.Add($"https://sts.windows.net/{_options.MicrosoftAppTenantId}/");
            _emulatorIssuers.Add($"https://login.microsoftonline.com/{_options.MicrosoftAppTenantId}/v2.0");
        }
    }

    /// <summary>
    /// Validates the <c>Authorization</c> header of a request that carries an activity of the given channel
    /// and service URL. A failure means 401 and the activity must not be processed.
    /// </summary>
    public async Task<BotFrameworkAuthResult> AuthenticateAsync(
        string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        var result = await CheckAsync(authorizationHeader, channelId, serviceUrl, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            LogRejected(channelId ?? "", result.Failure!);
        }

        return result;
    }

    private async Task<BotFrameworkAuthResult> CheckAsync(
        string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (!_options.AuthenticationEnabled)
        {
            return BotFrameworkAuthResult.Success;
        }

        if (ReadBearerToken(authorizationHeader) is not { } token)
        {
            return BotFrameworkAuthResult.Fail("no bearer token");
        }

        if (!_tokens.CanReadToken(token))
        {
            return BotFrameworkAuthResult.Fail("the bearer token is not a JWT");
        }

        // The issuer only picks which rules apply; it is validated again with the signature below.
        string issuer;
        try
        {
            issuer = _tokens.ReadJsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return BotFrameworkAuthResult.Fail("the bearer token is not a JWT");
        }

        if (issuer == ChannelIssuer)
        {
            return await CheckChannelTokenAsync(token, channelId, serviceUrl, cancellationToken).ConfigureAwait(false);
        }

        if (_emulatorIssuers.Contains(issuer))
        {
            return await CheckEmulatorTokenAsync(token, cancellationToken).ConfigureAwait(false);
        }

        return BotFrameworkAuthResult.Fail("untrusted issuer");
    }

    private async Task<BotFrameworkAuthResult> CheckChannelTokenAsync(
        string token, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        var keys = await _channelKeys.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var validation = await ValidateAsync(token, [ChannelIssuer], keys.Metadata.SigningKeys, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            if (validation.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // Keys roll over: refresh in the background; the Connector retries this delivery.
                _channelKeys.RequestRefresh();
            }

            return BotFrameworkAuthResult.Fail(Describe(validation));
        }

        var jwt = (JsonWebToken)validation.SecurityToken;

        // Endorsements: a key endorsed for some channels may only sign activities of those channels.
        if (!string.IsNullOrEmpty(jwt.Kid)
            && keys.Endorsements.TryGetValue(jwt.Kid, out var endorsed)
            && !string.IsNullOrEmpty(channelId)
            && !endorsed.Contains(channelId, StringComparer.Ordinal))
        {
            return BotFrameworkAuthResult.Fail("the signing key is not endorsed for this channel");
        }

        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            var claimed = jwt.TryGetClaim(ServiceUrlClaim, out var claim) ? claim.Value : null;
            if (!string.Equals(claimed, serviceUrl, StringComparison.OrdinalIgnoreCase))
            {
                return BotFrameworkAuthResult.Fail("the serviceurl claim does not match the activity's serviceUrl");
            }
        }

        return BotFrameworkAuthResult.Success;
    }

    private async Task<BotFrameworkAuthResult> CheckEmulatorTokenAsync(string token, CancellationToken cancellationToken)
    {
        var keys = await _emulatorKeys.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var validation = await ValidateAsync(token, _emulatorIssuers, keys.SigningKeys, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            if (validation.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                _emulatorKeys.RequestRefresh();
            }

            return BotFrameworkAuthResult.Fail(Describe(validation));
        }

        // The Emulator signs in as the bot itself: the app id is in appid (v1 tokens) or azp (v2 tokens).
        var jwt = (JsonWebToken)validation.SecurityToken;
        var version = jwt.TryGetClaim("ver", out var ver) ? ver.Value : null;
        var appIdClaim = version switch
        {
            "1.0" => "appid",
            "2.0" => "azp",
            _ => null,
        };
        if (appIdClaim is null)
        {
            return BotFrameworkAuthResult.Fail("Emulator token without a known ver claim");
        }

        var appId = jwt.TryGetClaim(appIdClaim, out var claim) ? claim.Value : null;
        return string.Equals(appId, _options.MicrosoftAppId, StringComparison.Ordinal)
            ? BotFrameworkAuthResult.Success
            : BotFrameworkAuthResult.Fail("Emulator token issued to another app");
    }

    private Task<TokenValidationResult> ValidateAsync(
        string token, IEnumerable<string> issuers, IEnumerable<SecurityKey> keys, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = issuers,
            ValidateAudience = true,
            ValidAudience = _options.MicrosoftAppId,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = s_clockSkew,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = keys,
            ValidAlgorithms = s_signingAlgorithms,
        };
        return _tokens.ValidateTokenAsync(token, parameters);
    }

    private static string? ReadBearerToken(string? header)
    {
        const string scheme = "Bearer ";
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    // IdentityModel hides PII in exception messages by default; the type names say enough for the log.
    private static string Describe(TokenValidationResult validation) => validation.Exception switch
    {
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenSignatureKeyNotFoundException => "signed by an unknown key",
        SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenInvalidAlgorithmException => "signing algorithm not allowed",
        { } other => other.GetType().Name,
        null => "invalid token",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Bot Framework request from channel {ChannelId}: {Reason}")]
    private partial void LogRejected(string channelId, string reason);
}
