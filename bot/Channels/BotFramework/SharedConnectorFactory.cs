using System.Collections.Concurrent;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Rest;
using Newtonsoft.Json.Serialization;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// The Bot Builder <see cref="ConnectorFactory"/> of this bot: one SDK <see cref="ConnectorClient"/> per service URL (and
/// audience), made the way the SDK's own factory makes it (credentials from the <see cref="ServiceClientCredentialsFactory"/>,
/// an <see cref="IHttpClientFactory"/> client with the SDK's default headers) but kept and shared by every turn and every
/// delivery to that service URL, instead of a new one per turn.
/// </summary>
/// <remarks>
/// <para>Why: the SDK's factory (ConnectorFactoryImpl) builds a new ConnectorClient for every turn, and each ConnectorClient
/// starts with new Newtonsoft contract resolvers (its Initialize and CustomInitialize), so the first reply it serialises
/// reflects over the whole Activity graph again: about 10 ms of CPU per turn on this machine, against 11 µs on a client
/// that is reused. That is where the SDK's .NET sample loses its throughput. The clients here share one resolver as well,
/// so even a client made anew is cheap.</para>
/// <para>A service URL <see cref="ServiceUrlPolicy"/> does not allow (or that is not a URL) gets a client that refuses
/// every call without contacting anyone: the SDK asks for the turn's connector before the bot has refused the activity.
/// At most <see cref="MaxClients"/> are kept; past that the cache starts again (the clients in use keep working).</para>
/// </remarks>
public sealed class SharedConnectorFactory : ConnectorFactory
{
    /// <summary>Teams has a handful of regional service URLs; loopback ports (the Emulator) are the only other variety.</summary>
    public const int MaxClients = 64;

    private static readonly DefaultContractResolver s_contracts = new();

    private readonly string? _appId;
    private readonly ServiceClientCredentialsFactory _credentials;
    private readonly IHttpClientFactory _httpClients;
    private readonly string _httpClientName;
    private readonly ServiceUrlPolicy _serviceUrls;
    private readonly ConcurrentDictionary<(string ServiceUrl, string Audience), Task<IConnectorClient>> _clients = new();

    public SharedConnectorFactory(
        string? appId, ServiceClientCredentialsFactory credentials, IHttpClientFactory httpClients, string httpClientName, ServiceUrlPolicy serviceUrls)
    {
        _appId = string.IsNullOrWhiteSpace(appId) ? null : appId;
        _credentials = credentials;
        _httpClients = httpClients;
        _httpClientName = httpClientName;
        _serviceUrls = serviceUrls;
    }

    /// <summary>How many clients are kept (tests).</summary>
    public int Count => _clients.Count;

    public override Task<IConnectorClient> CreateAsync(string serviceUrl, string audience, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || !_serviceUrls.Allows(uri))
        {
            return Task.FromResult<IConnectorClient>(RefusingConnectorClient.Instance);
        }

        var key = (uri.AbsoluteUri, audience ?? AuthenticationConstants.ToChannelFromBotOAuthScope);
        if (_clients.TryGetValue(key, out var existing) && !existing.IsFaulted && !existing.IsCanceled)
        {
            return existing;
        }

        if (_clients.Count >= MaxClients)
        {
            _clients.Clear();
        }

        var created = _clients.AddOrUpdate(key, k => CreateClientAsync(k.ServiceUrl, k.Audience), (k, old) => old.IsFaulted || old.IsCanceled ? CreateClientAsync(k.ServiceUrl, k.Audience) : old);
        return created;
    }

    private async Task<IConnectorClient> CreateClientAsync(string serviceUrl, string audience)
    {
        // The same credentials the SDK's factory would make (MicrosoftAppCredentials for the configured app and tenant, or
        // none without an app id), once per service URL: MSAL then keeps the token for all of them.
        var credentials = await _credentials.CreateCredentialsAsync(
            _appId, audience, AuthenticationConstants.ToChannelFromBotLoginUrlTemplate, validateAuthority: true, CancellationToken.None).ConfigureAwait(false);
        var http = _httpClients.CreateClient(_httpClientName);
        ConnectorClient.AddDefaultRequestHeaders(http);
        return new SharedConnectorClient(new Uri(serviceUrl), credentials, http);
    }

    /// <summary>A ConnectorClient the turns share: the SDK disposes a turn's connector at the end of the turn, which must not end this one.</summary>
    private sealed class SharedConnectorClient : ConnectorClient
    {
        public SharedConnectorClient(Uri baseUri, ServiceClientCredentials credentials, HttpClient http)
            : base(baseUri, credentials, http, disposeHttpClient: false)
        {
            SerializationSettings.ContractResolver = s_contracts;
            DeserializationSettings.ContractResolver = s_contracts;
        }

        protected override void Dispose(bool disposing)
        {
            // Shared for the life of the process; its HttpClient belongs to IHttpClientFactory.
        }
    }

    /// <summary>The connector for a service URL that must never be called: every request fails before it leaves.</summary>
    private sealed class RefusingConnectorClient : ConnectorClient
    {
        public static readonly RefusingConnectorClient Instance = new();

        private RefusingConnectorClient()
            : base(new Uri("https://not-allowed.invalid/"), MicrosoftAppCredentials.Empty, new HttpClient(new RefusingHandler()), disposeHttpClient: false)
        {
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class RefusingHandler : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                throw new ChannelDeliveryRejectedException("The activity's serviceUrl is not allowed (BotFramework:ServiceHosts); nothing was sent.");
        }
    }
}

/// <summary>
/// The SDK makes a <see cref="UserTokenClient"/> (the OAuth token service client) for every turn and disposes it after; this
/// bot signs nobody in, so one is made on first use, for the process, and the turns' disposals are ignored.
/// </summary>
public sealed class SharedUserTokenClient(Func<Task<UserTokenClient>> create) : UserTokenClient
{
    private readonly Lazy<Task<UserTokenClient>> _inner = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True once a turn asked for a user token (tests: a turn without sign-in makes none).</summary>
    public bool Created => _inner.IsValueCreated;

    public override async Task<Microsoft.Bot.Schema.TokenResponse> GetUserTokenAsync(string userId, string connectionName, string channelId, string magicCode, CancellationToken cancellationToken) =>
        await (await _inner.Value.ConfigureAwait(false)).GetUserTokenAsync(userId, connectionName, channelId, magicCode, cancellationToken).ConfigureAwait(false);

    public override async Task<Microsoft.Bot.Schema.SignInResource> GetSignInResourceAsync(string connectionName, Microsoft.Bot.Schema.Activity activity, string finalRedirect, CancellationToken cancellationToken) =>
        await (await _inner.Value.ConfigureAwait(false)).GetSignInResourceAsync(connectionName, activity, finalRedirect, cancellationToken).ConfigureAwait(false);

    public override async Task SignOutUserAsync(string userId, string connectionName, string channelId, CancellationToken cancellationToken) =>
        await (await _inner.Value.ConfigureAwait(false)).SignOutUserAsync(userId, connectionName, channelId, cancellationToken).ConfigureAwait(false);

    public override async Task<Microsoft.Bot.Schema.TokenStatus[]> GetTokenStatusAsync(string userId, string channelId, string includeFilter, CancellationToken cancellationToken) =>
        await (await _inner.Value.ConfigureAwait(false)).GetTokenStatusAsync(userId, channelId, includeFilter, cancellationToken).ConfigureAwait(false);

    public override async Task<Dictionary<string, Microsoft.Bot.Schema.TokenResponse>> GetAadTokensAsync(string userId, string connectionName, string[] resourceUrls, string channelId, CancellationToken cancellationToken) =>
        await (await _inner.Value.ConfigureAwait(false)).GetAadTokensAsync(userId, connectionName, resourceUrls, channelId, cancellationToken).ConfigureAwait(false);

    public override async Task<Microsoft.Bot.Schema.TokenResponse> ExchangeTokenAsync(string userId, string connectionName, string channelId, Microsoft.Bot.Schema.TokenExchangeRequest exchangeRequest, CancellationToken cancellationToken) =>
        await (await _inner.Value.ConfigureAwait(false)).ExchangeTokenAsync(userId, connectionName, channelId, exchangeRequest, cancellationToken).ConfigureAwait(false);

    protected override void Dispose(bool disposing)
    {
        // Shared for the life of the process.
    }
}
