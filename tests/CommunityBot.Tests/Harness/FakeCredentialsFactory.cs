using Microsoft.Bot.Connector.Authentication;
using Microsoft.Rest;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// The bot's credentials without Entra ID: every outgoing call the SDK (or the photo fetcher) signs gets
/// <c>Bearer {token}</c>, so a test sees where the bot's token went. Authentication of incoming activities stays off,
/// as in the test host without an app id.
/// </summary>
public sealed class FakeCredentialsFactory(string token) : ServiceClientCredentialsFactory
{
    public const string DefaultToken = "test-bot-token";

    public FakeCredentialsFactory()
        : this(DefaultToken)
    {
    }

    public override Task<bool> IsValidAppIdAsync(string appId, CancellationToken cancellationToken) => Task.FromResult(true);

    public override Task<bool> IsAuthenticationDisabledAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public override Task<ServiceClientCredentials> CreateCredentialsAsync(
        string appId, string audience, string loginEndpoint, bool validateAuthority, CancellationToken cancellationToken) =>
        Task.FromResult<ServiceClientCredentials>(new TokenCredentials(token));
}
