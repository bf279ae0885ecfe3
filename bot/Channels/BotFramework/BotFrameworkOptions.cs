using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Channels.BotFramework;

/// <summary>Settings of the Bot Framework channel (Teams, Web Chat, Emulator): identity, token validation and limits.</summary>
public sealed class BotFrameworkOptions : IValidatableObject
{
    public const string SectionName = "BotFramework";

    /// <summary>The bot's Microsoft App ID; empty turns authentication off both ways (Emulator without credentials).</summary>
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

    /// <summary>The channel ids this adapter delivers to when <see cref="ChannelIds"/> is not configured.</summary>
    public static readonly IReadOnlyList<string> DefaultChannelIds = ["msteams", "emulator", "webchat", "directline", "test"];

    /// <summary>
    /// Channel ids this adapter delivers to (those that speak the Connector REST API); null means <see cref="DefaultChannelIds"/>.
    /// Null rather than a filled default because the configuration binder appends to a non-empty collection.
    /// </summary>
    public string[]? ChannelIds { get; set; }

    /// <summary>Upper bound on a wait asked for by Retry-After (the outbox tries again then, and waits again if told to).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<string> EffectiveChannelIds => ChannelIds is { Length: > 0 } ids ? ids : DefaultChannelIds;

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
