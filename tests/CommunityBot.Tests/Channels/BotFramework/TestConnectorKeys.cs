using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>
/// A stand-in for login.botframework.com and the Microsoft identity platform: locally generated RSA keys,
/// OpenID metadata and JWKS documents served by a fake handler, and tokens signed with those keys.
/// </summary>
/// <remarks>
/// The SDK keeps one configuration manager per metadata URL for the whole process, made with the HttpClient of whoever
/// asks first (ConfiguredBotFrameworkAuthentication, at start-up): each instance serves its documents under URLs of its
/// own, so every test host reads them through its own handler, and counts its own fetches.
/// </remarks>
internal sealed class TestConnectorKeys
{
    public const string AppId = "6a5e2b1c-0000-4000-8000-00000000b07";
    public const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    public const string EmulatorTenant = "d6d49420-f39b-4df7-a1dc-d59a935871db";

    private readonly string _root = $"https://login.test/{Guid.NewGuid():N}/";

    public string MetadataUrl => _root + "v1/.well-known/openidconfiguration";

    public string EmulatorMetadataUrl => _root + "emulator/v2.0/.well-known/openid-configuration";

    private string JwksUrl => _root + "v1/.well-known/keys";

    private string EmulatorJwksUrl => _root + "emulator/discovery/v2.0/keys";

    // Generated once per test run: RSA key generation is the slow part of these tests.
    private static readonly RSA s_channelKey = RSA.Create(2048);
    private static readonly RSA s_webChatOnlyKey = RSA.Create(2048);
    private static readonly RSA s_emulatorKey = RSA.Create(2048);
    private static readonly RSA s_unknownKey = RSA.Create(2048);

    public TestConnectorKeys()
    {
        var jwks = Jwks(("channel-key", s_channelKey, ["msteams", "webchat", "emulator"]), ("webchat-key", s_webChatOnlyKey, ["webchat"]));
        var emulatorJwks = Jwks(("emulator-key", s_emulatorKey, null));
        Handler = new FakeHttpHandler((request, _) => request.RequestUri!.AbsoluteUri switch
        {
            var url when url == MetadataUrl => Json(new { issuer = "https://api.botframework.com", jwks_uri = JwksUrl, id_token_signing_alg_values_supported = new[] { "RS256" } }),
            var url when url == JwksUrl => FakeHttpHandler.Status(HttpStatusCode.OK, jwks),
            var url when url == EmulatorMetadataUrl => Json(new { issuer = "https://login.microsoftonline.com/{tenantid}/v2.0", jwks_uri = EmulatorJwksUrl }),
            var url when url == EmulatorJwksUrl => FakeHttpHandler.Status(HttpStatusCode.OK, emulatorJwks),
            _ => FakeHttpHandler.Status(HttpStatusCode.NotFound),
        });
    }

    public FakeHttpHandler Handler { get; }

    /// <summary>A Connector token as Teams sends it, with any part overridable to make it wrong.</summary>
    public string ChannelToken(
        string issuer = "https://api.botframework.com",
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        string signingKey = "channel-key")
    {
        var claims = new Dictionary<string, object>();
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        var key = signingKey switch
        {
            "channel-key" => s_channelKey,
            "webchat-key" => s_webChatOnlyKey,
            _ => s_unknownKey,
        };
        return Sign(issuer, audience, claims, key, signingKey, expiresIn, notBeforeIn);
    }

    /// <summary>
    /// A token the Bot Framework Emulator mints with the bot's own credentials (v1.0 shape), from the Bot Framework tenant
    /// or, for a single-tenant bot, from another. It always names its tenant (tid), as the Emulator's do: the SDK routes a
    /// token to Emulator validation by a process-wide issuer list that it resets from the tid of the token it looks at.
    /// </summary>
    public string EmulatorToken(string appId = AppId, string tenant = EmulatorTenant) =>
        Sign($"https://sts.windows.net/{tenant}/", AppId, new Dictionary<string, object> { ["ver"] = "1.0", ["appid"] = appId, ["tid"] = tenant },
            s_emulatorKey, "emulator-key", null, null);

    private static string Sign(
        string issuer, string audience, Dictionary<string, object> claims, RSA key, string kid, TimeSpan? expiresIn, TimeSpan? notBeforeIn)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromHours(1));
        var notBefore = now + (notBeforeIn ?? TimeSpan.FromMinutes(-5));
        if (notBefore >= expires)
        {
            notBefore = expires - TimeSpan.FromHours(1);
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    private static string Jwks(params (string Kid, RSA Key, string[]? Endorsements)[] keys) =>
        JsonSerializer.Serialize(new
        {
            keys = keys.Select(k =>
            {
                var parameters = k.Key.ExportParameters(false);
                var jwk = new Dictionary<string, object>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = k.Kid,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                };
                if (k.Endorsements is not null)
                {
                    jwk["endorsements"] = k.Endorsements;
                }

                return jwk;
            }),
        });

    private static HttpResponseMessage Json(object value) => FakeHttpHandler.Status(HttpStatusCode.OK, JsonSerializer.Serialize(value));
}
