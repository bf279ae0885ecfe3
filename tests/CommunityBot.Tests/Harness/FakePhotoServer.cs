using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// Stands in for the channels' photo hosts (Teams' attachment service, a WeCom download link, any web address): answers
/// the addresses a test serves, 404 for every other, and records each request with its Authorization header.
/// </summary>
public sealed class FakePhotoServer : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PhotoRequest> _requests = new();

    public IReadOnlyList<PhotoRequest> Requests => _requests.ToList();

    /// <summary>Serves <paramref name="bytes"/> at <paramref name="url"/> with the given (claimed) content type.</summary>
    public FakePhotoServer Serve(string url, byte[] bytes, string contentType = "image/jpeg") =>
        Answer(url, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = Bytes(bytes, contentType) });

    /// <summary>Answers <paramref name="url"/> with <paramref name="status"/> and no body.</summary>
    public FakePhotoServer Fail(string url, HttpStatusCode status) => Answer(url, _ => new HttpResponseMessage(status));

    /// <summary>Redirects <paramref name="url"/> to <paramref name="location"/>.</summary>
    public FakePhotoServer Redirect(string url, string location) => Answer(url, _ =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.Found);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    });

    public FakePhotoServer Answer(string url, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _routes[url] = respond;
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.AbsoluteUri;
        _requests.Enqueue(new PhotoRequest(url, request.Headers.Authorization?.ToString()));
        return Task.FromResult(_routes.TryGetValue(url, out var respond) ? respond(request) : new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}

/// <summary>One request the photo fetcher made.</summary>
public sealed record PhotoRequest(string Url, string? Authorization);
