using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CommunityBot.Tests.Harness;

/// <summary>Stands in for the Bot Framework Connector: records every request and answers 200 with a resource id (or as <see cref="Respond"/> says).</summary>
public sealed class FakeConnectorHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();

    public IReadOnlyList<ConnectorCall> Calls => _calls.ToList();

    /// <summary>
    /// When set, answers instead of the 200 (after the call is recorded) whenever it returns a response: a 429, a hang
    /// until the request is cancelled, … Null means the usual 200.
    /// </summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>>? Respond { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        _calls.Enqueue(new ConnectorCall(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            body.Length == 0 ? null : JsonNode.Parse(body)));
        if (Respond is { } respond && await respond(request, cancellationToken) is { } answer)
        {
            return answer;
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"id\":\"reply-" + _calls.Count + "\"}", Encoding.UTF8, "application/json"),
        };
    }
}

/// <summary>One request the bot made to the Connector.</summary>
public sealed record ConnectorCall(HttpMethod Method, Uri Uri, string? Authorization, JsonNode? Body)
{
    public string? Text => Body?["text"]?.GetValue<string>();
}
