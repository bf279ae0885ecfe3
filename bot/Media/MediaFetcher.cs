using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// Fetches a photo from the channel that sent it, with that channel's credentials, and refuses what must not be kept:
/// no http(s) address, a loopback/private/link-local address (at every redirect, and again at connect time against DNS
/// rebinding) unless <see cref="MediaOptions.AllowPrivateAddresses"/>, more than <see cref="MediaOptions.MaxBytes"/>,
/// longer than <see cref="MediaOptions.FetchTimeout"/>, or bytes that are no JPEG/PNG/GIF/WebP whatever the server claims.
/// </summary>
public sealed class MediaFetcher
{
    public const int MaxRedirects = 3;

    private readonly HttpClient _http;
    private readonly IEnumerable<IMediaCredentials> _credentials;
    private readonly MediaOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <param name="http">A client that does not follow redirects itself (each hop is checked here).</param>
    /// <param name="resolve">Host name to addresses (DNS by default; tests stand in).</param>
    public MediaFetcher(HttpClient http, IEnumerable<IMediaCredentials> credentials, IOptions<MediaOptions> options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _http = http;
        _credentials = credentials;
        _options = options.Value;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>A handler for <see cref="MediaFetcher"/>'s client: no automatic redirects, and a connect-time address check.</summary>
    public static SocketsHttpHandler CreateHandler(MediaOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => options.AllowPrivateAddresses || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException("The photo's host resolves to no public address.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public async Task<MediaFetchResult> FetchAsync(MediaItem item, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FetchTimeout);
        try
        {
            return await FetchCheckedAsync(item, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MediaFetchResult.Refused("timed out");
        }
        catch (HttpRequestException ex)
        {
            return MediaFetchResult.Refused("unreachable: " + ex.Message);
        }
    }

    private async Task<MediaFetchResult> FetchCheckedAsync(MediaItem item, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(item.Source, UriKind.Absolute, out var url))
        {
            return MediaFetchResult.Refused("not an address");
        }

        var credentials = _credentials.FirstOrDefault(c => c.Handles(item));
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (url.Scheme is not ("http" or "https") || url.Host.Length == 0 || !string.IsNullOrEmpty(url.UserInfo))
            {
                return MediaFetchResult.Refused("not an http(s) address");
            }

            if (!_options.AllowPrivateAddresses && !await IsPublicHostAsync(url, cancellationToken))
            {
                return MediaFetchResult.Refused("a loopback or private address");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (credentials is not null)
            {
                // Asked again at every hop: a redirect to another host gets no token.
                await credentials.AuthorizeAsync(request, item, cancellationToken);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                url = new Uri(url, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                return MediaFetchResult.Refused($"HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > _options.MaxBytes)
            {
                return MediaFetchResult.Refused("too large");
            }

            var bytes = await ReadLimitedAsync(response.Content, cancellationToken);
            if (bytes is null)
            {
                return MediaFetchResult.Refused("too large");
            }

            return MediaContent.ImageType(bytes) is { } type
                ? new MediaFetchResult(bytes, type, null)
                : MediaFetchResult.Refused("not a JPEG, PNG, GIF or WebP image");
        }

        return MediaFetchResult.Refused("too many redirects");
    }

    private async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task<bool> IsPublicHostAsync(Uri url, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal))
        {
            return IsPublic(literal);
        }

        if (url.IsLoopback)
        {
            return false;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await _resolve(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return false;
        }

        return addresses.Length > 0 && addresses.All(IsPublic);
    }

    /// <summary>False for loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified and multicast addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }
}
