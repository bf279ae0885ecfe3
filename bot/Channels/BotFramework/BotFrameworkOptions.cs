using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Channels.BotFramework;

/// <summary>Settings of the Bot Framework channel (Teams, Web Chat, Emulator): identity, token validation and limits.</summary>
public sealed class BotFrameworkOptions : IValidatableObject
{
    public const string SectionName = "BotFramework";

    /// <summary>
    /// The bot's Microsoft App ID; empty turns authentication off both ways (Emulator without credentials), which
    /// <c>/api/messages</c> accepts only from this machine on a loopback binding, or with <see cref="AllowUnauthenticated"/>.
    /// </summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary>The app's client secret. Only from the environment (<c>BotFramework__MicrosoftAppPassword</c>), never from appsettings.json.</summary>
    public string? MicrosoftAppPassword { get; set; }

    /// <summary>Tenant of a single-tenant bot registration; empty means the multi-tenant authority <c>botframework.com</c>.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>OpenID metadata of the Bot Connector, the source of the keys that sign incoming requests.</summary>
    [Required, Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>OpenID metadata of the Microsoft identity platform, the source of the keys of Emulator tokens.</summary>
    [Required, Url]
    public string EmulatorOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>Largest accepted <c>/api/messages</c> body; a Teams activity is at most about 80 KB (40 KB of UTF-16 text).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Without an app id, accept unauthenticated activities also on a non-loopback binding or through a proxy (an
    /// Emulator on a private network). Anyone who reaches the server can then speak as any Teams user: logged as a
    /// warning at every start.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>The channel ids this adapter serves when <see cref="ChannelIds"/> is not configured: the public Bot Framework channels.</summary>
    public static readonly IReadOnlyList<string> DefaultChannelIds = ["msteams", "emulator", "webchat", "directline"];

    /// <summary>
    /// Channel ids <c>/api/messages</c> accepts and this adapter delivers to (those that speak the Connector REST API);
    /// null means <see cref="DefaultChannelIds"/>. Another channel's id (wecom, local, admin …) is refused: those
    /// identities come only from their own endpoints. Null rather than a filled default because the configuration
    /// binder appends to a non-empty collection.
    /// </summary>
    public string[]? ChannelIds { get; set; }

    /// <summary>
    /// Service hosts of the public Bot Framework channels, where replies go when authentication is on:
    /// Teams' <c>smba.trafficmanager.net</c> (protocols A.2.2, [APIREF] §Base URI: "https://smba.trafficmanager.net/teams/"),
    /// and <c>*.botframework.com</c> for Web Chat, Direct Line (global, europe., india.: Direct Line 3.0 API reference,
    /// learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-api-reference §Base URI) and the
    /// older Teams host skype.botframework.com. The US government clouds (smba.infra.gcc.teams.microsoft.com,
    /// smba.infra.gov.teams.microsoft.us, smba.infra.dod.teams.microsoft.us; Microsoft 365 Agents SDK TeamsServiceEndpoints)
    /// are not public and must be configured.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultServiceHosts = ["smba.trafficmanager.net", "*.botframework.com"];

    /// <summary>
    /// Hosts an authenticated activity's <c>serviceUrl</c> (and so every reply, with the bot's token) may name, besides
    /// its token's <c>serviceurl</c> claim matching; <c>*.example.com</c> matches subdomains. Https only. Null means
    /// <see cref="DefaultServiceHosts"/>. Add <c>localhost</c> for an Emulator that signs in with the bot's credentials.
    /// </summary>
    public string[]? ServiceHosts { get; set; }

    /// <summary>
    /// Hosts an unauthenticated activity's <c>serviceUrl</c> may name besides loopback (localhost, 127.0.0.1, ::1),
    /// e.g. the address of an Emulator on a private network next to <see cref="AllowUnauthenticated"/>. Empty by default.
    /// </summary>
    public string[]? UnauthenticatedServiceHosts { get; set; }

    /// <summary>Upper bound on a wait asked for by Retry-After (the outbox tries again then, and waits again if told to).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<string> EffectiveChannelIds => ChannelIds is { Length: > 0 } ids ? ids : DefaultChannelIds;

    public IReadOnlyList<string> EffectiveServiceHosts => ServiceHosts is { Length: > 0 } hosts ? hosts : DefaultServiceHosts;

    public bool AuthenticationEnabled => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AuthenticationEnabled && string.IsNullOrWhiteSpace(MicrosoftAppPassword))
        {
            yield return new ValidationResult(
                "BotFramework:MicrosoftAppId is set but the password is missing; set the environment variable BotFramework__MicrosoftAppPassword.",
                [nameof(MicrosoftAppPassword)]);
        }
    }
}
