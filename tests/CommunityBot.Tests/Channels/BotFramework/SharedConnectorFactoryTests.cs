using System.Net;
using CommunityBot.Channels;
using CommunityBot.Channels.BotFramework;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>One SDK ConnectorClient per service URL, shared by every turn, that a turn's disposal does not end.</summary>
public class SharedConnectorFactoryTests
{
    private readonly FakeHttpHandler _handler = new((_, _) => FakeHttpHandler.Status(HttpStatusCode.OK, """{"id":"1"}"""));

    private SharedConnectorFactory CreateFactory(BotFrameworkOptions? options = null)
    {
        var settings = options ?? new BotFrameworkOptions();
        return new SharedConnectorFactory(
            null, new PasswordServiceClientCredentialFactory(), new HandlerHttpClientFactory(_handler), "any", new ServiceUrlPolicy(settings));
    }

    private static Activity Reply(string conversationId) => new(ActivityTypes.Message) { Text = "x", Conversation = new ConversationAccount(id: conversationId) };

    [Fact]
    public async Task SameServiceUrl_SameClient_StillUsableAfterATurnDisposedIt()
    {
        var factory = CreateFactory();

        var first = await factory.CreateAsync("http://localhost:3978/", null!, CancellationToken.None);
        first.Dispose(); // what CloudAdapter does at the end of every turn
        var second = await factory.CreateAsync("http://localhost:3978/", null!, CancellationToken.None);
        await second.Conversations.SendToConversationAsync(Reply("c1"));

        Assert.Same(first, second);
        Assert.IsAssignableFrom<ConnectorClient>(second); // a real SDK client: TeamsInfo and the like can use it
        Assert.Equal("http://localhost:3978/v3/conversations/c1/activities", Assert.Single(_handler.Requests).Uri.AbsoluteUri);
        Assert.Equal(1, factory.Count);
    }

    [Fact]
    public async Task OtherServiceUrlOrAudience_OtherClient()
    {
        var factory = CreateFactory();

        var a = await factory.CreateAsync("http://localhost:3978/", null!, CancellationToken.None);
        var b = await factory.CreateAsync("http://localhost:3979/", null!, CancellationToken.None);
        var c = await factory.CreateAsync("http://localhost:3978/", "api://skill", CancellationToken.None);

        Assert.NotSame(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(3, factory.Count);
    }

    [Theory]
    [InlineData("https://attacker.example/")]
    [InlineData("http://169.254.169.254/latest/")]
    [InlineData("not a url")]
    [InlineData(null)]
    public async Task ServiceUrlNotAllowed_ClientRefusesEveryCallWithoutContactingAnyone(string? serviceUrl)
    {
        var factory = CreateFactory();

        var client = await factory.CreateAsync(serviceUrl!, null!, CancellationToken.None);

        await Assert.ThrowsAsync<ChannelDeliveryRejectedException>(() => client.Conversations.SendToConversationAsync(Reply("c1")));
        Assert.Empty(_handler.Requests);
        Assert.Equal(0, factory.Count);
    }

    [Fact]
    public async Task ManyServiceUrls_AtMostMaxClientsKept()
    {
        var factory = CreateFactory();

        for (var port = 1; port <= SharedConnectorFactory.MaxClients * 2; port++)
        {
            await factory.CreateAsync($"http://127.0.0.1:{port}/", null!, CancellationToken.None);
        }

        Assert.InRange(factory.Count, 1, SharedConnectorFactory.MaxClients);
    }
}
