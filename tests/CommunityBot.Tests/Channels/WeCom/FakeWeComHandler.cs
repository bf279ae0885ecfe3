using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CommunityBot.Tests.Channels.WeCom;

/// <summary>
/// Stands in for qyapi.weixin.qq.com: records every call and answers from a script of errcodes per API path
/// (gettoken hands out TOKEN-1, TOKEN-2, …; anything unscripted answers errcode 0).
/// </summary>
public sealed class FakeWeComHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<WeComCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _errcodes = new(StringComparer.Ordinal);
    private int _tokens;

    public IReadOnlyList<WeComCall> Calls => _calls.ToList();

    /// <summary>Completes before gettoken answers, when set (to hold concurrent callers on one fetch).</summary>
    public Task? GetTokenGate { get; set; }

    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>The next calls to the path (e.g. "message/send") answer these errcodes, in order.</summary>
    public void Answer(string path, params int[] errcodes)
    {
        var queue = _errcodes.GetOrAdd(path, _ => new ConcurrentQueue<int>());
        foreach (var code in errcodes)
        {
            queue.Enqueue(code);
        }
    }

    public IReadOnlyList<WeComCall> CallsTo(string path) => Calls.Where(c => c.Path == path).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var uri = request.RequestUri!;
        var path = uri.AbsolutePath.StartsWith("/cgi-bin/", StringComparison.Ordinal) ? uri.AbsolutePath["/cgi-bin/".Length..] : uri.AbsolutePath;
        _calls.Enqueue(new WeComCall(request.Method, uri, path, body.Length == 0 ? null : JsonNode.Parse(body)));

        var errcode = _errcodes.TryGetValue(path, out var queue) && queue.TryDequeue(out var scripted) ? scripted : 0;
        var answer = new JsonObject { ["errcode"] = errcode, ["errmsg"] = errcode == 0 ? "ok" : "scripted error" };
        if (path == "gettoken" && errcode == 0)
        {
            if (GetTokenGate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            answer["access_token"] = "TOKEN-" + Interlocked.Increment(ref _tokens);
            answer["expires_in"] = TokenLifetimeSeconds;
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }
}

/// <summary>One request the bot made to WeCom.</summary>
public sealed record WeComCall(HttpMethod Method, Uri Uri, string Path, JsonNode? Body)
{
    public string? Query(string name)
    {
        foreach (var part in Uri.Query.TrimStart('?').Split('&'))
        {
            var pair = part.Split('=', 2);
            if (pair[0] == name)
            {
                return pair.Length == 2 ? Uri.UnescapeDataString(pair[1]) : "";
            }
        }

        return null;
    }
}
