namespace CommunityBot.Channels.BotFramework;

/// <summary>Supplies the bearer token the bot sends to the Bot Connector (protocols A.3.2).</summary>
public interface IConnectorTokenProvider
{
    /// <summary>The access token, or null when no app id is configured and requests go out without Authorization.</summary>
    Task<string?> GetTokenAsync(CancellationToken cancellationToken);
}
