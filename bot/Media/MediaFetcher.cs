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
    private readonly IMediaHostResolver _resolver;

    /// <param name="http">A client that does not follow redirects itself (each hop is checked here): see <see cref="CreateHandler"/>.</param>
    /// <param name="resolver">Host name to addresses for the checks (DNS in production).</param>
    public MediaFetcher(HttpClient http, IEnumerable<IMediaCredentials> credentials, IOptions<MediaOptions> options, IMediaHostResolver resolver)
    {
        _http = http;
        _credentials = credentials;
        _options = options.Value;
        _resolver = resolver;
    }

    /// <summary>
    /// The handler for <see cref="MediaFetcher"/>'s client: no automatic redirects, no cookies, no proxy (a proxy would make
    /// the connection for us, past the address check), and a connect-time check of the addresses the host resolves to.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(MediaOptions options, IMediaHostResolver resolver) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await resolver.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => options.AllowPrivateAddresses || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, "The photo's host resolves to no public address.");
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
            return MediaFetchResult.Unavailable("timed out");
        }
        catch (HttpRequestException ex)
        {
            // The error kind only: the exception's message names the host.
            return MediaFetchResult.Unavailable($"unreachable ({ex.HttpRequestError})");
        }
        catch (IOException)
        {
            return MediaFetchResult.Unavailable("the connection broke off");
        }
    }

    private async Task<MediaFetchResult> FetchCheckedAsync(MediaItem item, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(item.Source, UriKind.Absolute, out var url))
        {
            return MediaFetchResult.Refused("not an http(s) address");
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
                return MediaFetchResult.Refused("a loopback, private or unresolvable address");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("image/*");
            if (credentials is not null)
            {
                // Asked again at every hop: a redirect to another host gets no token.
                await credentials.AuthorizeAsync(request, item, cancellationToken);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                if (response.Headers.Location is not { } location)
                {
                    return MediaFetchResult.Unavailable($"HTTP {(int)response.StatusCode} without a Location");
                }

                url = new Uri(url, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                return MediaFetchResult.Unavailable($"HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > _options.MaxBytes)
            {
                return MediaFetchResult.Refused("too large");
            }

            var body = await ReadLimitedAsync(response.Content, cancellationToken);
            if (body is null)
            {
                return MediaFetchResult.Refused("too large");
            }

            var bytes = credentials is null ? body : credentials.Decode(item, body);
            if (bytes is null)
            {
                return MediaFetchResult.Refused("could not be decoded");
            }

            return MediaContent.ImageType(bytes) is { } type
                ? MediaFetchResult.Image(bytes, type)
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
            addresses = await _resolver.ResolveAsync(url.IdnHost, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            return false;
        }

        return addresses.Length > 0 && addresses.All(IsPublic);
    }

    /// <summary>
    /// False for loopback, private (RFC 1918, ULA), link-local, CGNAT, benchmarking, documentation, unspecified, broadcast
    /// and multicast addresses, and for IPv6 addresses that carry such an IPv4 address (mapped, NAT64, 6to4).
    /// </summary>
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

        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublic(new IPAddress(b.AsSpan(12, 4)));
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublic(new IPAddress(b.AsSpan(2, 4)));
        }

        // Documentation (2001:db8::/32) and the IPv4-compatible ::/96 block are never a photo host.
        if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }
}
